-- What one actor did on one day (yyyy-mm-dd, in the case time zone): every usable event of
-- that day in time order.
-- Parameters: $actor, $day
SELECT
    format_utc(ts) AS ts_utc,
    strftime(local_time, '%H:%M:%S') AS local_time,
    action,
    record_keys,
    status
FROM actor_events
WHERE actor = clean_text($actor) AND day = CAST($day AS DATE)
ORDER BY ts, source_file, source_row;
