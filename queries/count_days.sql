-- Per day in the case time zone: events (access-log rows) in scope, and distinct customer
-- records that had at least one field exposed that day.
-- The events are summed from in_scope_days. An exposing line's local day is its hour's
-- (scope_hours): each hour is converted to the case time zone once instead of every line;
-- the lines of an hour that its day does not settle (split by local midnight or by a change
-- of offset) are converted one by one. An hour is named by its first microsecond since the
-- epoch, as in scope_hours.
-- Parameters: none
WITH lines AS (
    SELECT
        record_key,
        ts,
        epoch_us(ts) - (epoch_us(ts) % 3600000000 + 3600000000) % 3600000000 AS hour
    FROM events_in_scope
    WHERE (mask & available_mask) <> 0
),
customers AS (
    SELECT day, count(DISTINCT record_key) AS customers
    FROM (
        SELECT
            l.record_key,
            CASE
                WHEN h.day IS NOT NULL THEN h.day
                ELSE CAST(timezone((SELECT timezone FROM scope_window), l.ts) AS DATE)
            END AS day
        FROM lines AS l
        LEFT JOIN scope_hours AS h USING (hour)
    )
    GROUP BY day
),
events AS (
    SELECT day, CAST(sum(events) AS BIGINT) AS events FROM in_scope_days GROUP BY day
)
SELECT e.day, e.events, coalesce(c.customers, 0) AS customers
FROM events AS e
LEFT JOIN customers AS c USING (day)
ORDER BY e.day;
