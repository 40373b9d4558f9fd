-- Each hour (UTC) in which an event (access-log row) is in scope, with the local day in the
-- case time zone that every instant of the hour falls on: the zone's rules are applied per
-- hour, some two thousand times over a quarter, instead of to every event. An hour is named
-- by its first microsecond since the epoch (the remainder taken non-negative, so that
-- instants before 1970 fall in the right hour too). `day` is NULL when the hour's first and
-- last microsecond fall on two local days, or when the zone's offset changes within the
-- hour (its two ends are not an hour apart in local time): the events of such an hour, some
-- zones' midnight hour or a change of offset, are converted one by one (in_scope_days,
-- count_days).
-- Parameters: none
CREATE OR REPLACE TABLE scope_hours AS
WITH hours AS (
    SELECT DISTINCT epoch_us(ts) - (epoch_us(ts) % 3600000000 + 3600000000) % 3600000000 AS hour
    FROM scoped_rows
    WHERE status = 'in_scope'
),
local AS (
    SELECT
        hour,
        timezone((SELECT timezone FROM scope_window), make_timestamptz(hour)) AS first_local,
        timezone((SELECT timezone FROM scope_window), make_timestamptz(hour + 3599999999))
            AS last_local
    FROM hours
)
SELECT
    hour,
    CASE
        WHEN CAST(first_local AS DATE) = CAST(last_local AS DATE)
            AND epoch_us(last_local) - epoch_us(first_local) = 3599999999
            THEN CAST(first_local AS DATE)
    END AS day
FROM local;
