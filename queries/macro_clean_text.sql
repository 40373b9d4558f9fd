-- Defines clean_text(v): v without surrounding blanks (space, tab, CR, LF, no-break space,
-- byte-order mark), or NULL when nothing is left. A value is "available" exactly when
-- clean_text(v) IS NOT NULL; keys, actors and actions are compared after clean_text.
-- Parameters: none
CREATE OR REPLACE MACRO clean_text(v) AS
    nullif(trim(v, ' ' || chr(9) || chr(10) || chr(13) || chr(160) || chr(65279)), '');
