-- Defines scramble(x, mult, shift, n): a permutation of [0, n) when mult and n are coprime
-- (a Weyl sequence, so consecutive x land far apart).
-- Parameters: none
CREATE OR REPLACE TEMP MACRO scramble(x, mult, shift, n) AS (x * mult + shift) % n;
