-- The report's instants: the window's bounds (UTC instants) in the case's time zone, and the
-- controller's awareness time (written in that zone unless it carries an offset) in UTC and
-- local time with the 72-hour deadline of GDPR Art. 33(1); each as text, NULL when not given.
-- Parameters: $timezone, $start_utc, $end_utc, $aware
WITH aware AS (
    SELECT CASE
        WHEN $aware IS NULL THEN NULL
        WHEN regexp_matches($aware, '(Z|[+-]\d{2}(:?\d{2})?)$') THEN CAST($aware AS TIMESTAMPTZ)
        ELSE timezone($timezone, CAST($aware AS TIMESTAMP))
    END AS instant
)
SELECT
    strftime(timezone($timezone, CAST($start_utc AS TIMESTAMPTZ)), '%Y-%m-%d %H:%M') AS start_local,
    strftime(timezone($timezone, CAST($end_utc AS TIMESTAMPTZ)), '%Y-%m-%d %H:%M') AS end_local,
    strftime(timezone('UTC', instant), '%Y-%m-%d %H:%M') AS aware_utc,
    strftime(timezone($timezone, instant), '%Y-%m-%d %H:%M') AS aware_local,
    strftime(timezone('UTC', instant + INTERVAL 72 HOUR), '%Y-%m-%d %H:%M') AS deadline_utc,
    strftime(timezone($timezone, instant + INTERVAL 72 HOUR), '%Y-%m-%d %H:%M') AS deadline_local
FROM aware;
