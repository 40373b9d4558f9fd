-- Defines rnd(seed, key, salt): a uniform number in [0, 1) from draw (53 bits, so it
-- never rounds up to 1).
-- Parameters: none
CREATE OR REPLACE TEMP MACRO rnd(seed, key, salt) AS
    (draw(seed, key, salt) >> 11) / 9007199254740992.0;
