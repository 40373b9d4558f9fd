-- The scope window as instants: start (inclusive) and end (exclusive), each NULL when the case
-- leaves that side open. Bounds are read by parse_instant in the case time zone.
-- Parameters: $start, $end, $timezone
CREATE OR REPLACE TABLE scope_window AS
SELECT
    parse_instant($start, $timezone) AS start_utc,
    parse_instant($end, $timezone) AS end_utc,
    $timezone AS timezone;
