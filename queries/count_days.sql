-- Per day in the case time zone: events in scope, and distinct customer records that had at
-- least one field exposed that day.
-- Parameters: none
WITH days AS (
    SELECT
        CAST(timezone((SELECT timezone FROM scope_window), e.ts) AS DATE) AS day,
        e.record_key,
        (m.mask & c.available_mask) <> 0 AS exposing
    FROM events_in_scope AS e
    JOIN action_map AS m ON m.action = e.action
    JOIN customers AS c ON c.customer_key = e.record_key
)
SELECT
    day,
    count(*) AS events,
    count(DISTINCT record_key) FILTER (WHERE exposing) AS customers
FROM days
GROUP BY day
ORDER BY day;
