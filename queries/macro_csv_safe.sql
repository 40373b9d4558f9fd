-- Defines csv_safe(v): a free-text value made safe for a spreadsheet (OWASP CSV injection):
-- a value beginning with =, +, -, @, tab, CR or LF gets a leading apostrophe, so that Excel
-- shows it as text instead of running it as a formula. Quoting alone does not protect.
-- Validated values (E.164 numbers, dates, flags) do not go through it.
-- Parameters: none
CREATE OR REPLACE MACRO csv_safe(v) AS
    CASE WHEN regexp_matches(v, '^[=+\-@\t\r\n]') THEN '''' || v ELSE v END;
