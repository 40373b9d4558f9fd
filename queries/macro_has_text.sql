-- Defines has_text(v): whether v holds something other than blanks, exactly
-- clean_text(v) IS NOT NULL (false for NULL). Most values begin with a character that is
-- not a blank, which settles it from the first character; only the others are cleaned.
-- Used for the customer's available fields, tested on every field of every record. (The
-- list of code points stays at six: DuckDB plans an IN list of seven or more as a join.)
-- Parameters: none
CREATE OR REPLACE MACRO has_text(v) AS
    CASE
        WHEN v = '' THEN false
        WHEN unicode(v) NOT IN (9, 10, 13, 32, 160, 65279) THEN true
        ELSE coalesce(clean_text(v) IS NOT NULL, false)
    END;
