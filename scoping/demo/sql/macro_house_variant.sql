-- Defines house_variant(house, n): a house number as an agent types it again: a box number
-- added (12 -> 12 bte 3, 12 bus 3, 12/3, 12 b3), written another way (12 bus 3 -> 12/3,
-- 12 b3) or left out (12 bte 3 -> 12), a letter in lower case or apart (12A -> 12a, 12 A).
-- Parameters: none
CREATE OR REPLACE TEMP MACRO house_variant(house, n) AS
    CASE WHEN regexp_matches(house, '^[0-9]+$')
         THEN house || [' bte ', ' bus ', '/', ' b'][1 + n % 4] || CAST(1 + n // 4 % 9 AS VARCHAR)
         WHEN regexp_matches(house, '^[0-9]+[A-Z]$')
         THEN CASE n % 2 WHEN 0 THEN lower(house)
                   ELSE regexp_replace(house, '^([0-9]+)([A-Z])$', '\1 \2') END
         ELSE coalesce(nullif(regexp_replace(house, '^([0-9]+)[^0-9]+([0-9]+)$',
                  ['\1', '\1/\2', '\1 b\2', '\1 bus \2'][1 + n % 4]), house),
              regexp_replace(house, '^([0-9]+)[^0-9]+([0-9]+)$', '\1 bte \2'))
    END;
