-- The events in scope, one line per (event, customer key found): actor in scope, time in
-- [start, end), fields known (from the row or its action), key in the customer table; with
-- the fields the event displayed (mask) and the customer's available fields.
-- Parameters: none
CREATE OR REPLACE VIEW events_in_scope AS
SELECT source_file, source_row, ts, actor, action, record_key, mask, available_mask
FROM access_log_scoped
WHERE status = 'in_scope';
