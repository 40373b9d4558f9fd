-- Per actor and day in the case time zone: events (access-log rows) in scope, for the
-- actors with the most events in scope (at most $actors of them, ranked by events, then by
-- name), summed over the sources from in_scope_days.
-- Parameters: $actors
WITH ranked AS (
    SELECT actor, CAST(sum(events) AS BIGINT) AS events
    FROM in_scope_days
    GROUP BY actor
    ORDER BY events DESC, actor
    LIMIT $actors
),
days AS (
    SELECT actor, day, CAST(sum(events) AS BIGINT) AS events
    FROM in_scope_days
    WHERE actor IN (SELECT actor FROM ranked)
    GROUP BY ALL
)
SELECT d.actor, d.day, d.events
FROM days AS d
JOIN ranked AS r USING (actor)
ORDER BY r.events DESC, d.actor, d.day;
