-- Defines mask_fields(m): the names of the fields in field mask m, in declaration order,
-- joined with '|' (NULL for an empty mask).
-- Parameters: none
CREATE OR REPLACE MACRO mask_fields(m) AS (
    SELECT string_agg(field, '|' ORDER BY bit) FROM fields WHERE (m & mask) <> 0
);
