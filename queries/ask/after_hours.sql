-- Activity outside working hours, per actor, in the case time zone: working hours are
-- [$from_hour, $to_hour) on the days listed in $days (three-letter English names, comma
-- separated, e.g. 'mon,tue,wed,thu,fri'). Events and distinct customers outside, and the
-- share of the actor's events that fell outside. Most outside events first.
-- Parameters: $from_hour, $to_hour, $days
WITH marked AS (
    SELECT
        e.actor,
        e.source_file,
        e.source_row,
        NOT (
            list_contains(
                string_split(lower(replace($days, ' ', '')), ','),
                lower(strftime(e.local_time, '%a'))
            )
            AND hour(e.local_time) >= CAST($from_hour AS INTEGER)
            AND hour(e.local_time) < CAST($to_hour AS INTEGER)
        ) AS outside
    FROM actor_events AS e
)
SELECT
    m.actor,
    count(DISTINCT (m.source_file, m.source_row)) AS events,
    count(DISTINCT (m.source_file, m.source_row)) FILTER (WHERE m.outside) AS events_outside,
    count(DISTINCT s.match_key) FILTER (WHERE m.outside) AS customers_outside,
    round(
        count(DISTINCT (m.source_file, m.source_row)) FILTER (WHERE m.outside)
            / count(DISTINCT (m.source_file, m.source_row)),
        3
    ) AS share_outside
FROM marked AS m
JOIN access_log_status AS s USING (source_file, source_row)
GROUP BY m.actor
ORDER BY events_outside DESC, m.actor;
