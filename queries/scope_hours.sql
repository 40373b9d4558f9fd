-- Each hour (UTC) in which an event (access-log row) is in scope (in_scope_hours), with the
-- local day in the case time zone that every instant of the hour falls on: the zone's rules
-- are applied per hour, some two thousand times over a quarter, instead of to every event.
-- `day` is NULL when the hour's first and last microsecond fall on two local days, or when
-- the zone's offset changes within the hour (its two ends are not an hour apart in local
-- time): the events of such an hour, some zones' midnight hour or a change of offset, are
-- converted one by one (in_scope_days, count_days).
-- Parameters: none
CREATE OR REPLACE TABLE scope_hours AS
WITH local AS (
    SELECT
        hour,
        timezone((SELECT timezone FROM scope_window), make_timestamptz(hour)) AS first_local,
        timezone((SELECT timezone FROM scope_window), make_timestamptz(hour + 3599999999))
            AS last_local
    FROM (SELECT DISTINCT hour FROM in_scope_hours)
)
SELECT
    hour,
    CASE
        WHEN CAST(first_local AS DATE) = CAST(last_local AS DATE)
            AND epoch_us(last_local) - epoch_us(first_local) = 3599999999
            THEN CAST(first_local AS DATE)
    END AS day
FROM local;
