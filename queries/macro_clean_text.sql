-- Defines clean_text(v): v without surrounding blanks (space, tab, CR, LF, no-break space,
-- byte-order mark), or NULL when nothing is left. A value is "available" exactly when
-- clean_text(v) IS NOT NULL; keys, actors and actions are compared after clean_text.
-- Most values have no surrounding blank, so the first and last characters are checked
-- first and only values that need it go through the regular expression.
-- Parameters: none
CREATE OR REPLACE MACRO clean_text(v) AS
    CASE
        WHEN v = '' THEN NULL
        WHEN unicode(v) IN (9, 10, 13, 32, 160, 65279)
            OR unicode(right(v, 1)) IN (9, 10, 13, 32, 160, 65279)
            THEN nullif(
                regexp_replace(
                    v, '^[ \t\n\r\x{00A0}\x{FEFF}]+|[ \t\n\r\x{00A0}\x{FEFF}]+$', '', 'g'
                ),
                ''
            )
        ELSE v
    END;
