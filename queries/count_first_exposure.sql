-- Per day in the case time zone: customer records first exposed that day (the day of their
-- first exposure), in day order; days on which nobody was newly exposed are left out.
-- Parameters: none
SELECT
    CAST(timezone((SELECT timezone FROM scope_window), first_exposure) AS DATE) AS day,
    count(*) AS customers
FROM affected_customers
GROUP BY day
ORDER BY day;
