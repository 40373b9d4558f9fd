-- Defines parse_date(s): a calendar date from `yyyy-mm-dd` (ISO) or `dd/mm/yyyy` (day
-- first), or NULL when the text is neither or not a real date (birth dates).
-- Parameters: none
CREATE OR REPLACE MACRO parse_date(s) AS
    CASE
        WHEN regexp_full_match(s, '\d{4}-\d{2}-\d{2}') THEN try_cast(s AS DATE)
        WHEN regexp_full_match(s, '\d{1,2}/\d{1,2}/\d{4}') THEN CAST(try_strptime(s, '%d/%m/%Y') AS DATE)
    END;
