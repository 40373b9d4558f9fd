-- Defines parse_instant(s, tz): the instant an ISO 8601 date-time text stands for, or NULL.
-- With `Z` or an offset (+02:00, +0200, +02) it is that instant; without, it is local time in
-- time zone tz. Local times in a DST gap are read with the offset before the gap
-- (2024-03-31 02:30 Europe/Brussels = 01:30 UTC); a repeated hour is read as its second
-- occurrence, in standard time (2024-10-27 02:30 Europe/Brussels = 01:30 UTC).
-- A text without a time of day is not an instant.
-- Parameters: none
CREATE OR REPLACE MACRO parse_instant(s, tz) AS
    CASE
        WHEN regexp_full_match(s, '\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)')
            THEN try_cast(s AS TIMESTAMPTZ)
        WHEN regexp_full_match(s, '\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?')
            THEN timezone(tz, try_cast(s AS TIMESTAMP))
    END;
