-- Per day in the case time zone: affected persons first exposed that day (the earliest
-- exposure over their records), in day order; days on which nobody was newly exposed are
-- left out.
-- Parameters: none
SELECT
    CAST(timezone(
        (SELECT timezone FROM scope_window), CAST(first_exposure_utc AS TIMESTAMPTZ)
    ) AS DATE) AS day,
    count(*) AS persons
FROM recipients
GROUP BY day
ORDER BY day;
