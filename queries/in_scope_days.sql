-- Per source, actor and day in the case time zone: the events (access-log rows) in scope.
-- The one read of the events in scope that the counts per actor (count_actors), per actor
-- and day (count_actor_days) and per day (count_days) share: a few thousand rows. An
-- event's day is its hour's (scope_hours), or, in an hour that day does not settle, its own
-- instant converted.
-- Parameters: none
CREATE OR REPLACE TABLE in_scope_days AS
SELECT
    r.log_source,
    r.actor,
    CASE
        WHEN h.day IS NOT NULL THEN h.day
        ELSE CAST(timezone((SELECT timezone FROM scope_window), r.ts) AS DATE)
    END AS day,
    count(*) AS events
FROM scoped_rows AS r
LEFT JOIN scope_hours AS h
    ON h.hour = epoch_us(r.ts) - (epoch_us(r.ts) % 3600000000 + 3600000000) % 3600000000
WHERE r.status = 'in_scope'
GROUP BY ALL;
