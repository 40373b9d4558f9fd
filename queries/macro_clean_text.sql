-- Defines clean_text(v): v without surrounding blanks (space, tab, CR, LF, no-break space,
-- byte-order mark), or NULL when nothing is left. A value is "available" exactly when
-- clean_text(v) IS NOT NULL; keys, actors and actions are compared after clean_text.
-- Every value goes through it, so it is written for speed, in three tiers:
-- 1. A value whose first and last code points are between 33 and 159 (printable ASCII, DEL
--    and the C1 controls: no blank among them) is already clean. This settles nearly every
--    value with two comparisons per end, and a column that Parquet stores as a dictionary
--    (actors, actions) is then tested once per distinct value.
-- 2. Otherwise the ends are tested against the six blanks. (Six: DuckDB plans an IN list of
--    seven or more as a join.)
-- 3. Only a value with a blank at an end goes through the regular expression.
-- `v[-1]` is the last code point; unlike right(v, 1), DuckDB runs it on a dictionary once.
-- Parameters: none
CREATE OR REPLACE MACRO clean_text(v) AS
    CASE
        WHEN unicode(v) BETWEEN 33 AND 159 AND unicode(v[-1]) BETWEEN 33 AND 159 THEN v
        WHEN v = '' THEN NULL
        WHEN unicode(v) IN (9, 10, 13, 32, 160, 65279)
            OR unicode(v[-1]) IN (9, 10, 13, 32, 160, 65279)
            THEN nullif(
                regexp_replace(
                    v, '^[ \t\n\r\x{00A0}\x{FEFF}]+|[ \t\n\r\x{00A0}\x{FEFF}]+$', '', 'g'
                ),
                ''
            )
        ELSE v
    END;
