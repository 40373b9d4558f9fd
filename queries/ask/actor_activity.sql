-- Activity per actor per day (case time zone): events and distinct customers consulted,
-- for every actor in the logs, with whether the actor is in the case's scope.
-- Parameters: none
SELECT actor, team, day, events, customers, in_scope_actor
FROM actor_days
ORDER BY actor, day;
