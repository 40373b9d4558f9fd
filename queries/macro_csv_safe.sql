-- Defines csv_safe(v): a free-text value made safe for a spreadsheet (OWASP CSV injection):
-- a value beginning with =, +, -, @, tab, CR or LF gets a leading apostrophe, so that Excel
-- shows it as text instead of running it as a formula. Quoting alone does not protect.
-- Validated values (E.164 numbers, dates, flags) do not go through it. The first character
-- is tested by its code point (= + - @, then tab LF CR), which costs far less than a regex;
-- in two short lists, since DuckDB plans an IN list of seven or more values as a join.
-- Parameters: none
CREATE OR REPLACE MACRO csv_safe(v) AS
    CASE
        WHEN unicode(v) IN (61, 43, 45, 64) OR unicode(v) IN (9, 10, 13) THEN '''' || v
        ELSE v
    END;
