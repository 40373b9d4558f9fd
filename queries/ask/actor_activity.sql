-- Activity per account per day (case time zone): events and distinct customers consulted,
-- for every actor of every source of the logs, with whether the actor is in the case's scope.
-- Parameters: none
SELECT source, actor, team, day, events, customers, in_scope_actor
FROM actor_days
ORDER BY actor, source, day;
