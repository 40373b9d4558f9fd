-- Defines format_utc(ts): an instant as ISO 8601 in UTC, `2026-09-03T08:15:42Z`, with six
-- decimals of the second only when the instant has a fraction of a second. The instant is
-- rendered from its microseconds since the epoch as a plain timestamp (make_timestamp), which
-- is UTC by definition and spares a time-zone conversion per value. An infinite instant
-- (a typed Parquet timestamp can hold one) has no epoch: strftime writes it as `infinity`
-- or `-infinity`.
-- Parameters: none
CREATE OR REPLACE MACRO format_utc(ts) AS
    CASE
        WHEN NOT isfinite(ts) THEN strftime(ts, '%Y-%m-%dT%H:%M:%SZ')
        WHEN epoch_us(ts) % 1000000 = 0
            THEN strftime(make_timestamp(epoch_us(ts)), '%Y-%m-%dT%H:%M:%SZ')
        ELSE strftime(make_timestamp(epoch_us(ts)), '%Y-%m-%dT%H:%M:%S.%fZ')
    END;
