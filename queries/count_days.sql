-- Per day in the case time zone: events (access-log rows) in scope, and distinct customer
-- records that had at least one field exposed that day.
-- Parameters: none
WITH events AS (
    SELECT CAST(timezone((SELECT timezone FROM scope_window), ts) AS DATE) AS day, count(*) AS events
    FROM scoped_rows
    WHERE status = 'in_scope'
    GROUP BY day
),
customers AS (
    SELECT
        CAST(timezone((SELECT timezone FROM scope_window), ts) AS DATE) AS day,
        count(DISTINCT record_key) AS customers
    FROM events_in_scope
    WHERE (mask & available_mask) <> 0
    GROUP BY day
)
SELECT e.day, e.events, coalesce(c.customers, 0) AS customers
FROM events AS e
LEFT JOIN customers AS c USING (day)
ORDER BY e.day;
