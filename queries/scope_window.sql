-- The scope window as instants, start (inclusive) and end (exclusive), each NULL when the case
-- leaves that side open, read by parse_instant in the case time zone.
-- Parameters: $start, $end, $timezone
CREATE OR REPLACE TABLE scope_window AS
SELECT
    parse_instant($start, $timezone, NULL, NULL) AS start_utc,
    parse_instant($end, $timezone, NULL, NULL) AS end_utc,
    $timezone AS timezone;
