-- Per actor and day in the case time zone: events (access-log rows) in scope, for the
-- actors with the most events in scope (at most $actors of them, ranked by events, then by
-- name). Each distinct minute of an actor's events is converted to the case time zone once,
-- at its first microsecond (modern zones are offset by whole minutes), not every event.
-- Parameters: $actors
WITH ranked AS (
    SELECT actor, count(*) AS events
    FROM scoped_rows
    WHERE status = 'in_scope'
    GROUP BY actor
    ORDER BY events DESC, actor
    LIMIT $actors
),
minutes AS (
    SELECT actor, date_trunc('minute', ts) AS minute, count(*) AS events
    FROM scoped_rows
    WHERE status = 'in_scope' AND actor IN (SELECT actor FROM ranked)
    GROUP BY ALL
)
SELECT
    m.actor,
    CAST(timezone((SELECT timezone FROM scope_window), m.minute) AS DATE) AS day,
    sum(m.events) AS events
FROM minutes AS m
JOIN ranked AS r USING (actor)
GROUP BY m.actor, r.events, day
ORDER BY r.events DESC, m.actor, day;
