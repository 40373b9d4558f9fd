-- Defines date_variant(d, kind, n): a birth date as an agent types it again. kind 0: one
-- digit off (digit_off), 1: two digits swapped (the day's, 12 -> 21, else the year's last
-- two, 1974 -> 1947, before 2000 only, so that the date stays in the past), 2: day and month
-- swapped; a kind that gives no other valid date falls back to one digit off.
-- Parameters: none
CREATE OR REPLACE TEMP MACRO date_variant(d, kind, n) AS
    coalesce(nullif(CASE kind
        WHEN 1 THEN coalesce(
            nullif(TRY_CAST(printf('%04d-%02d-%02d', year(d), month(d),
                                   day(d) % 10 * 10 + day(d) // 10) AS DATE), d),
            CASE WHEN year(d) < 2000 THEN nullif(TRY_CAST(printf('%04d-%02d-%02d',
                year(d) - year(d) % 100 + year(d) % 10 * 10 + year(d) % 100 // 10,
                month(d), day(d)) AS DATE), d) END)
        WHEN 2 THEN TRY_CAST(printf('%04d-%02d-%02d', year(d), day(d), month(d)) AS DATE)
    END, d), digit_off(d, n));
