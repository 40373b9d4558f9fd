-- Whether any access-log row, in scope or not, names the actor a query parameter names,
-- compared as the logs' actors are (clean_text, exact otherwise). Lets `scoping query` say
-- "not found" rather than print an empty result that reads as "did nothing".
-- Parameters: $actor
SELECT EXISTS (SELECT 1 FROM staged_access_log WHERE clean_text(actor) = clean_text($actor));
