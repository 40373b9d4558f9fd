-- Defines draw(seed, key, salt): 64 random bits that depend only on the arguments.
-- hash(a, b, c) combines the hashes of its arguments with XOR, so draws with two salts for one
-- key would be correlated; hashing the combination again mixes them (measured: corr 0.52 ->
-- 0.00).
-- Parameters: none
CREATE OR REPLACE TEMP MACRO draw(seed, key, salt) AS
    hash(hash(CAST(seed AS BIGINT), CAST(key AS BIGINT), salt));
