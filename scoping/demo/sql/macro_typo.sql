-- Defines typo(s, kind, n): s with one slip of the keyboard at a letter after the first
-- (position 2 + n modulo the inner letters): kind 0 swaps it with the next one, 1 leaves it
-- out, 2 types it twice. A swap of two equal letters leaves it out instead, so the result
-- always differs from s; a word of fewer than 3 characters gets its last letter twice.
-- Parameters: none
CREATE OR REPLACE TEMP MACRO typo(s, kind, n) AS
    CASE WHEN length(s) < 3 THEN s || right(s, 1)
         ELSE coalesce(nullif(CASE kind % 3
             WHEN 0 THEN left(s, 1 + n % (length(s) - 2))
                         || substr(s, 3 + n % (length(s) - 2), 1)
                         || substr(s, 2 + n % (length(s) - 2), 1)
                         || substr(s, 4 + n % (length(s) - 2))
             WHEN 1 THEN left(s, 1 + n % (length(s) - 2)) || substr(s, 3 + n % (length(s) - 2))
             ELSE left(s, 2 + n % (length(s) - 2)) || substr(s, 2 + n % (length(s) - 2))
         END, s), left(s, 1 + n % (length(s) - 2)) || substr(s, 3 + n % (length(s) - 2)))
    END;
