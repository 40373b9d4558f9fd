-- One line per access-log row (an event), whatever the number of keys it names: its actor,
-- instant and bucket. The rows of scoped_rows, and the rows out of scope by actor or window,
-- whose bucket is the same for all their keys (read from access_log, one line each).
-- Parameters: none
CREATE OR REPLACE VIEW access_log_rows AS
SELECT source_file, source_row, actor, ts, status
FROM scoped_rows
UNION ALL
SELECT source_file, source_row, actor, ts, scope_status
FROM access_log
WHERE key_no = 1
  AND scope_status IN
    ('out_of_scope_actor', 'out_of_scope_before_start', 'out_of_scope_after_end');
