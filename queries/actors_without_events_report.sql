-- actors_without_events.csv: the scope's actors that no row of the access log names, one per
-- line, sorted; written only when the case allows them (allow_actors_without_events).
-- Parameters: none
SELECT actor FROM actors_without_events ORDER BY actor;
