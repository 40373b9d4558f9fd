-- The timeline of one actor: every usable event in time order, with UTC and local time, the
-- action, the customer keys named and the event's bucket.
-- Parameters: $actor
SELECT
    format_utc(ts) AS ts_utc,
    strftime(local_time, '%Y-%m-%d %H:%M:%S') AS local_time,
    action,
    record_keys,
    status
FROM actor_events
WHERE actor = clean_text($actor)
ORDER BY ts, source_file, source_row;
