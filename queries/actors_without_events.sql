-- The scope's actors that no line of access_log_scoped names (no event of theirs in the
-- window, rejected or not), as a table: the candidates for actors without any event in the
-- logs. Cheap, as it reads only the lines in play; actors_with_events_elsewhere then drops
-- the candidates that the log names outside the window or scope.
-- Parameters: none
CREATE OR REPLACE TABLE actors_without_events AS
SELECT actor
FROM scope_actors
ANTI JOIN (SELECT DISTINCT actor FROM access_log_scoped WHERE actor IS NOT NULL) USING (actor);
