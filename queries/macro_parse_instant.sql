-- Defines parse_instant(s, tz, naive_formats, aware_formats): the instant a timestamp text
-- (through clean_text) stands for, or NULL when it is not understood.
-- When the case lists formats (strftime codes; naive_formats and aware_formats are NULL when
-- it lists none of that kind), only those are tried: the ones with %z are instants, the
-- others local times in zone tz. Otherwise the text's shape decides:
--   ISO 8601 with Z or an offset (+02:00, +0200, +02): that instant;
-- an offset is at most 14 hours (-14:00 to +14:00, the range of real zones) with minutes 00-59:
-- `+25:00` is not understood (nor, with the case's %z formats, an offset ending the text);
--   ISO 8601 without (`2026-09-01 08:15[:00[.123]]`, space or T): local time in tz;
--   `dd/mm/yyyy HH:MM[:SS]` (day first): local time in tz;
--   `yyyyMMddHHmmss[.SSS]` (Salesforce style): local time in tz (set the log's zone to UTC);
--   12-13 digits: epoch milliseconds; 9-10 digits (optional decimals): epoch seconds.
-- DST: a local time in the spring gap is read with the offset before the gap
-- (2024-03-31 02:30 Europe/Brussels = 01:30 UTC); a repeated autumn hour is read as its
-- second occurrence, in standard time (2024-10-27 02:30 Europe/Brussels = 01:30 UTC).
-- A text without a time of day is not an instant. The ISO shapes, by far the most common,
-- are told apart by cheap checks on the characters (the date, the separator, whether a Z
-- or a sign follows the time) before a strict cast; the rarer shapes use regexes.
-- Parameters: none
CREATE OR REPLACE MACRO parse_instant(s, tz, naive_formats, aware_formats) AS
    CASE
        WHEN naive_formats IS NOT NULL OR aware_formats IS NOT NULL THEN coalesce(
            CASE
                WHEN NOT regexp_full_match(s, '.*[\d ][+-]\d{2}(:?\d{2})?')
                    OR regexp_full_match(s, '.*[\d ]([+-](0\d|1[0-3])(:?[0-5]\d)?|[+-]14(:?00)?)')
                    THEN try_strptime(s, aware_formats)
            END,
            timezone(tz, try_strptime(s, naive_formats))
        )
        WHEN length(s) >= 16 AND substr(s, 11, 1) IN ('T', ' ') AND substr(s, 5, 1) = '-'
            AND substr(s, 8, 1) = '-' AND substr(s, 14, 1) = ':'
            AND regexp_full_match(substr(s, 1, 16), '\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}')
            THEN CASE
                WHEN right(s, 1) = 'Z' OR contains(substr(s, 17), '+') OR contains(substr(s, 17), '-')
                    THEN CASE
                        WHEN regexp_full_match(
                            substr(s, 17),
                            '(:\d{2}(\.\d+)?)?(Z|[+-](0\d|1[0-3])(:?[0-5]\d)?|[+-]14(:?00)?)'
                        )
                            THEN try_cast(s AS TIMESTAMPTZ)
                    END
                WHEN length(s) = 16 OR regexp_full_match(substr(s, 17), ':\d{2}(\.\d+)?')
                    THEN timezone(tz, try_cast(s AS TIMESTAMP))
            END
        WHEN regexp_full_match(s, '\d{1,2}/\d{1,2}/\d{4} \d{1,2}:\d{2}(:\d{2})?')
            THEN timezone(tz, try_strptime(s, ['%d/%m/%Y %H:%M:%S', '%d/%m/%Y %H:%M']))
        WHEN regexp_full_match(s, '\d{14}(\.\d{1,6})?')
            THEN timezone(tz, try_strptime(s, ['%Y%m%d%H%M%S.%f', '%Y%m%d%H%M%S']))
        WHEN regexp_full_match(s, '\d{12,13}')
            THEN CAST(epoch_ms(CAST(s AS BIGINT)) AS TIMESTAMPTZ)
        WHEN regexp_full_match(s, '\d{9,10}(\.\d+)?')
            THEN to_timestamp(CAST(s AS DOUBLE))
    END;
