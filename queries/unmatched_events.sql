-- The unmatched customer keys of in-scope events: the event's actor, window and fields are in
-- scope but the key it names is not in the customer table. File, row, instant in UTC, actor,
-- key and action, in file order, with the name of the file's source.
-- Parameters: none
SELECT i.source, i.path AS file, s.source_row AS row, format_utc(s.ts) AS ts_utc, s.actor,
       s.record_key, s.action
FROM access_log_scoped AS s
JOIN input_files AS i USING (source_file)
WHERE s.status = 'unmatched'
ORDER BY s.source_file, s.source_row, s.record_key;
