-- The events in scope, one line per (event, customer key found): actor in scope, time in
-- [start, end), fields known (from the row or its action), key in the customer table; with
-- the fields the event displayed (mask) and the customer's available fields; `source`, the
-- name of the row's access-log source (`log_source` its number); `changed_mask`, the fields
-- whose value then differs from today's, which only a customer history tells
-- (events_in_scope_history): 0 here.
-- Parameters: none
CREATE OR REPLACE VIEW events_in_scope AS
SELECT
    log_source, getvariable('case_options').sources[log_source].name AS source, source_file,
    source_row, ts, actor, action, record_key, refs, mask, available_mask, CAST(0 AS BIGINT) AS changed_mask
FROM access_log_scoped
WHERE status = 'in_scope';
