-- Every access-log line (one per customer key a row names) with the fields its event
-- displayed (`mask`: from the fields the row names, else from its action), the customer's
-- available fields, and the one bucket it falls in, tested in this order: rejected; out of
-- scope because of the actor, because it is before the start or at/after the end of the
-- window, or because its action is not in the action map; unmatched (the key is not in the
-- customer table); in_scope.
-- Parameters: none
CREATE OR REPLACE TABLE access_log_status AS
SELECT
    a.source_file,
    a.source_row,
    a.ts,
    a.actor,
    a.team,
    a.action,
    a.refs,
    a.record_key,
    coalesce(l.mask, m.mask) AS mask,
    c.available_mask,
    CASE
        WHEN a.reject_reason IS NOT NULL THEN 'rejected'
        WHEN a.actor NOT IN (SELECT actor FROM scope_actors) THEN 'out_of_scope_actor'
        WHEN a.ts < (SELECT start_utc FROM scope_window) THEN 'out_of_scope_before_start'
        WHEN a.ts >= (SELECT end_utc FROM scope_window) THEN 'out_of_scope_after_end'
        WHEN coalesce(l.mask, m.mask) IS NULL THEN 'out_of_scope_action'
        WHEN c.customer_key IS NULL THEN 'unmatched'
        ELSE 'in_scope'
    END AS status
FROM access_log AS a
LEFT JOIN field_label_masks AS l ON l.fields_text = a.fields_text
LEFT JOIN action_map AS m ON a.fields_text IS NULL AND m.action = a.action
LEFT JOIN customers AS c ON c.customer_key = a.record_key;
