-- One line per access-log row (an event), whatever the number of keys it names: its actor,
-- instant and bucket. The rows of scoped_rows, and the rows out of scope by actor or window,
-- whose bucket is the same for all their keys (read from access_log_parsed, one line each).
-- `log_source` is the number of the row's source.
-- Parameters: none
CREATE OR REPLACE VIEW access_log_rows AS
SELECT log_source, source_file, source_row, actor, ts, status
FROM scoped_rows
UNION ALL
SELECT log_source, source_file, source_row, actor, ts, window_status
FROM access_log_parsed
WHERE counted_only AND key_no = 1;
