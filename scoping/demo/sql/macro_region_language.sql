-- Defines region_language(region, u): the language of a region (VL, WAL, DG); Brussels
-- (BRU) households speak French (65%) or Dutch, by the uniform draw u.
-- Parameters: none
CREATE OR REPLACE TEMP MACRO region_language(region, u) AS
    CASE region WHEN 'VL' THEN 'nl' WHEN 'WAL' THEN 'fr' WHEN 'DG' THEN 'de'
         ELSE CASE WHEN u < 0.65 THEN 'fr' ELSE 'nl' END END;
