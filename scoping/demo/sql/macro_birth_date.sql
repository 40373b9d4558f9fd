-- Defines birth_date(seed, key): 3% minors (13-17 on 2026-11-29), adults between 1935 and
-- 2008, mostly middle-aged (the mean of two uniform draws).
-- Parameters: none
CREATE OR REPLACE TEMP MACRO birth_date(seed, key) AS
    CASE WHEN rnd(seed, key, 'minor') < 0.03
         THEN DATE '2008-12-01' + CAST(pick(seed, key, 'minor_day', 1825) AS INTEGER)
         ELSE DATE '1935-01-01' + CAST(floor(
             (rnd(seed, key, 'age_a') + rnd(seed, key, 'age_b')) / 2 * 26990) AS INTEGER)
    END;
