-- The events in scope: actor in scope, time in [start, end), action in the action map, and
-- record key found in the customer table (see access_log_status).
-- Parameters: none
CREATE OR REPLACE VIEW events_in_scope AS
SELECT source_file, source_row, ts, actor, record_key, action
FROM access_log_status
WHERE status = 'in_scope';
