-- Bursts: minutes (case time zone) in which one actor consulted more than $threshold
-- distinct customers. Largest bursts first.
-- Parameters: $threshold
SELECT
    e.actor,
    strftime(date_trunc('minute', e.local_time), '%Y-%m-%d %H:%M') AS minute,
    count(DISTINCT s.match_key) AS customers,
    count(DISTINCT (e.source_file, e.source_row)) AS events
FROM actor_events AS e
JOIN access_log_status AS s USING (source_file, source_row)
GROUP BY e.actor, date_trunc('minute', e.local_time)
HAVING count(DISTINCT s.match_key) > CAST($threshold AS INTEGER)
ORDER BY customers DESC, e.actor, minute;
