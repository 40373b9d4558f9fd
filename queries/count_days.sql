-- Per day in the case time zone: events (access-log rows) in scope, and distinct customer
-- records that had at least one field exposed that day.
-- An instant's local day is read from its minute: each distinct minute of the events is
-- converted to the case time zone once, at its first and at its last microsecond, instead of
-- every event (6 s against 3.4 s at 100M events). The two days differ only where the zone's
-- offset is not a whole number of minutes (some zones before 1980); the events of such a
-- minute, and of any minute not in the table, are converted one by one. A minute is named by
-- its first microsecond since the epoch (the remainder taken non-negative, so that instants
-- before 1970 fall in the right minute too).
-- `timed` is read twice, and DuckDB would store a CTE read twice (54M rows and lines at 100M
-- events): not materialised, each reader computes only its own kind (5.5 s against 4.4 s).
-- Parameters: none
WITH timed AS NOT MATERIALIZED (
    SELECT kind, ts, record_key,
        epoch_us(ts) - (epoch_us(ts) % 60000000 + 60000000) % 60000000 AS minute
    FROM (
        SELECT 'row' AS kind, ts, NULL AS record_key FROM scoped_rows WHERE status = 'in_scope'
        UNION ALL
        SELECT 'line', ts, record_key FROM events_in_scope WHERE (mask & available_mask) <> 0
    )
),
minutes AS (
    SELECT
        minute,
        CAST(timezone(
            (SELECT timezone FROM scope_window), make_timestamptz(minute)
        ) AS DATE) AS first_day,
        CAST(timezone(
            (SELECT timezone FROM scope_window), make_timestamptz(minute + 59999999)
        ) AS DATE) AS last_day
    FROM (SELECT DISTINCT minute FROM timed WHERE kind = 'row')
),
dated AS NOT MATERIALIZED (
    -- Every in-scope row and every exposing line with its local day; each reader below keeps
    -- one kind, and only that branch is computed for it.
    SELECT
        i.kind,
        i.record_key,
        CASE
            WHEN m.first_day = m.last_day THEN m.first_day
            ELSE CAST(timezone((SELECT timezone FROM scope_window), i.ts) AS DATE)
        END AS day
    FROM timed AS i
    LEFT JOIN minutes AS m USING (minute)
),
events AS (
    SELECT day, count(*) AS events FROM dated WHERE kind = 'row' GROUP BY day
),
customers AS (
    SELECT day, count(DISTINCT record_key) AS customers
    FROM dated
    WHERE kind = 'line'
    GROUP BY day
)
SELECT e.day, e.events, coalesce(c.customers, 0) AS customers
FROM events AS e
LEFT JOIN customers AS c USING (day)
ORDER BY e.day;
