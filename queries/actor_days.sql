-- Activity per account (an actor of a source) per day in the case time zone, over every
-- usable event whatever the scope: events, distinct customer keys named, and whether the
-- actor is in the scope.
-- Parameters: none
CREATE OR REPLACE VIEW actor_days AS
SELECT
    e.source,
    e.actor,
    any_value(e.team) AS team,
    e.day,
    count(DISTINCT (e.source_file, e.source_row)) AS events,
    count(DISTINCT s.match_key) AS customers,
    e.actor IN (SELECT actor FROM scope_actors) AS in_scope_actor
FROM actor_events AS e
JOIN access_log_status AS s USING (source_file, source_row)
GROUP BY e.source, e.actor, e.day;
