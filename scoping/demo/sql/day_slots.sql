-- The day_slots table: every local hour of every day the extract covers ($days days from
-- $start and a margin of $margin days on each side), as a UTC instant. Agents draw from
-- workdays (weekdays that are not fixed-date $holidays, given as MM-DD), the suspect from any
-- day; day_rank numbers the days of a kind, inside or outside the window. Local times read in
-- $timezone, DST included.
-- Parameters: $start, $days, $margin, $holidays, $timezone
CREATE OR REPLACE TEMP TABLE day_slots AS
WITH days AS (
    SELECT $start + CAST(d AS INTEGER) AS day, d >= 0 AND d < $days AS inside
    FROM range(-$margin, $days + $margin) AS t(d)
),
kinds AS (
    SELECT day, inside, 'any' AS kind FROM days
    UNION ALL
    SELECT day, inside, 'work' FROM days
    WHERE isodow(day) <= 5 AND NOT list_contains($holidays, strftime(day, '%m-%d'))
),
ranked AS (
    SELECT *, row_number() OVER (PARTITION BY inside, kind ORDER BY day) - 1 AS day_rank
    FROM kinds
)
SELECT inside, kind, day_rank, hour, day,
       timezone('UTC', timezone($timezone, day + make_time(hour, 0, 0))) AS hour_utc
FROM ranked, range(24) AS h(hour);
