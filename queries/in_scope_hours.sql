-- Per source, actor and hour (UTC): the events (access-log rows) in scope. The one read of
-- the events in scope that the counts per actor, per actor and day and per day share
-- (through scope_hours and in_scope_days): a few thousand rows. An hour is named by its
-- first microsecond since the epoch (the remainder taken non-negative, so that instants
-- before 1970 fall in the right hour too).
-- Parameters: none
CREATE OR REPLACE TABLE in_scope_hours AS
SELECT
    log_source,
    actor,
    epoch_us(ts) - (epoch_us(ts) % 3600000000 + 3600000000) % 3600000000 AS hour,
    count(*) AS events
FROM scoped_rows
WHERE status = 'in_scope'
GROUP BY ALL;
