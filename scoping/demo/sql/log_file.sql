-- Writes one month of the log, [$month_start, $month_end), to $path in time order; event ids
-- are the logical event keys scrambled by $id_mult and $id_shift over $logical_events.
-- Parameters: $id_mult, $id_shift, $logical_events, $month_start, $month_end, $path
COPY (
    SELECT printf('EV%010d', scramble(key, $id_mult, $id_shift, $logical_events)) AS event_id,
           strftime(instant, '%Y-%m-%dT%H:%M:%SZ') AS event_time,
           user_id, screen, printf('C%07d', customer_no + 1) AS customer_id
    FROM events
    WHERE instant >= $month_start AND instant < $month_end
    ORDER BY instant, key, seq
) TO $path (FORMAT csv, HEADER true, DELIMITER ',');
