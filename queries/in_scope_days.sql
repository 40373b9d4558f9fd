-- Per source, actor and day in the case time zone: the events (access-log rows) in scope,
-- which the counts per actor (count_actors), per actor and day (count_actor_days) and per
-- day (count_days) read. The events of an hour that scope_hours settles take its day; those
-- of an hour it does not settle are read again and converted one by one (with no such hour,
-- as in every zone whose offsets are whole hours, that read finds nothing to join and is
-- not made).
-- Parameters: none
CREATE OR REPLACE TABLE in_scope_days AS
SELECT log_source, actor, day, CAST(sum(events) AS BIGINT) AS events
FROM (
    SELECT e.log_source, e.actor, h.day, e.events
    FROM in_scope_hours AS e
    JOIN scope_hours AS h USING (hour)
    WHERE h.day IS NOT NULL
    UNION ALL
    SELECT
        r.log_source,
        r.actor,
        CAST(timezone((SELECT timezone FROM scope_window), r.ts) AS DATE) AS day,
        1 AS events
    FROM scoped_rows AS r
    JOIN (SELECT hour FROM scope_hours WHERE day IS NULL) AS h
        ON h.hour = epoch_us(r.ts) - (epoch_us(r.ts) % 3600000000 + 3600000000) % 3600000000
    WHERE r.status = 'in_scope'
)
GROUP BY ALL;
