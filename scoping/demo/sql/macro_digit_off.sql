-- Defines digit_off(d, n): the date d with one digit of its yyyy-mm-dd form one off: the
-- day's last digit (n % 3 = 0), the year's last digit (1; down after 2010, so that the holder
-- stays old enough) or the month's (2), up or down, or the day's tens when no other choice
-- gives a valid date (30 -> 20); the day's when the year's or month's gives none (29 February,
-- 31 of a month).
-- Parameters: none
CREATE OR REPLACE TEMP MACRO digit_off(d, n) AS
    coalesce(CASE n % 3
        WHEN 1 THEN TRY_CAST(printf('%04d-%02d-%02d', year(d) + CASE WHEN year(d) % 10 = 9
                                 OR year(d) % 10 > 0 AND year(d) > 2010 THEN -1 ELSE 1 END, month(d), day(d)) AS DATE)
        WHEN 2 THEN TRY_CAST(printf('%04d-%02d-%02d', year(d), CASE WHEN month(d) % 10 = 9
                                 OR month(d) = 12 THEN month(d) - 1 ELSE month(d) + 1 END,
                                 day(d)) AS DATE)
    END,
    CASE WHEN day(d) % 10 < 9
         THEN TRY_CAST(printf('%04d-%02d-%02d', year(d), month(d), day(d) + 1) AS DATE) END,
    CASE WHEN day(d) % 10 > 0
         THEN TRY_CAST(printf('%04d-%02d-%02d', year(d), month(d), day(d) - 1) AS DATE) END,
    TRY_CAST(printf('%04d-%02d-%02d', year(d), month(d), day(d) - 10) AS DATE));
