-- Defines format_utc(ts): an instant as ISO 8601 in UTC, `2026-09-03T08:15:42Z`, with six
-- decimals of the second only when the instant has a fraction of a second. The session time
-- zone is UTC, so strftime renders UTC.
-- Parameters: none
CREATE OR REPLACE MACRO format_utc(ts) AS
    CASE
        WHEN epoch_us(ts) % 1000000 = 0 THEN strftime(ts, '%Y-%m-%dT%H:%M:%SZ')
        ELSE strftime(ts, '%Y-%m-%dT%H:%M:%S.%fZ')
    END;
