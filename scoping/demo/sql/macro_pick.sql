-- Defines pick(seed, key, salt, n): a uniform integer in [0, n) from draw.
-- Parameters: none
CREATE OR REPLACE TEMP MACRO pick(seed, key, salt, n) AS
    CAST(draw(seed, key, salt) % CAST(n AS UBIGINT) AS BIGINT);
