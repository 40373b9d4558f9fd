-- Drops from actors_without_events the actors that a row of the access log names anywhere
-- (any time, any bucket; the actor compared after clean_text, as everywhere): what is left
-- are the scope's actors with no event at all in the logs. Reads the log's actor column
-- once; run only when actors_without_events holds a candidate.
-- Parameters: none
DELETE FROM actors_without_events
WHERE actor IN (
    SELECT clean_text(actor)
    FROM staged_access_log
    WHERE clean_text(actor) IN (SELECT actor FROM actors_without_events)
);
