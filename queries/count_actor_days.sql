-- Per actor and day in the case time zone: events (access-log rows) in scope, for the
-- actors with the most events in scope (at most $actors of them, ranked by events, then by
-- name). Each event's instant is converted to the case time zone where it is grouped: one
-- group per actor and day, a few thousand at most, where grouping by minute first made a
-- group per busy minute (millions when every actor is in scope) to save a conversion that
-- costs less than the grouping.
-- Parameters: $actors
WITH ranked AS (
    SELECT actor, count(*) AS events
    FROM scoped_rows
    WHERE status = 'in_scope'
    GROUP BY actor
    ORDER BY events DESC, actor
    LIMIT $actors
),
days AS (
    SELECT
        actor,
        CAST(timezone((SELECT timezone FROM scope_window), ts) AS DATE) AS day,
        count(*) AS events
    FROM scoped_rows
    WHERE status = 'in_scope' AND actor IN (SELECT actor FROM ranked)
    GROUP BY ALL
)
SELECT d.actor, d.day, d.events
FROM days AS d
JOIN ranked AS r USING (actor)
ORDER BY r.events DESC, d.actor, d.day;
