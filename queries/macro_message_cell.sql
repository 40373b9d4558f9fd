-- A person's value as the content of a quoted cell of a message file: `"` doubled, a
-- missing value empty; with `guarded` (a constant), also the formula guard of the CSV files
-- (a leading `'` before =, +, -, @, tab, LF or CR: csv_safe, written out here because the
-- workbooks redefine that macro).
-- Parameters: none
CREATE OR REPLACE MACRO message_cell(v, guarded) AS replace(
    CASE
        WHEN guarded AND (unicode(v) IN (61, 43, 45, 64) OR unicode(v) IN (9, 10, 13))
            THEN '''' || v
        ELSE coalesce(v, '')
    END,
    '"',
    '""'
);
