-- One row per usable access-log event (whatever the scope): the source it came from, the actor
-- (and team, when the source maps one), instant in UTC and local time and day in the case time
-- zone, action, the customer keys it named, the keys found in the customer table, and its
-- bucket. For investigation: who did what, when.
-- Parameters: none
CREATE OR REPLACE VIEW actor_events AS
SELECT
    any_value(s.source) AS source,
    s.source_file,
    s.source_row,
    s.actor,
    any_value(s.team) AS team,
    s.ts,
    timezone((SELECT timezone FROM scope_window), s.ts) AS local_time,
    CAST(timezone((SELECT timezone FROM scope_window), s.ts) AS DATE) AS day,
    s.action,
    string_agg(s.record_key, '|' ORDER BY s.record_key) AS record_keys,
    count(*) FILTER (WHERE s.available_mask IS NOT NULL) AS keys_found,
    CASE WHEN bool_or(s.status = 'in_scope') THEN 'in_scope' ELSE min(s.status) END AS status
FROM access_log_status AS s
WHERE s.status <> 'rejected'
GROUP BY s.source_file, s.source_row, s.actor, s.ts, s.action;
