-- The place_slots table: the postal table (places.csv) with each place repeated `weight`
-- times, so that a uniform slot draws places in proportion to their weight. zone_rank numbers
-- the slots of a telephone zone, which is what keeps fixed-line numbers unique within the zone.
-- The places come in as parallel lists, one entry per place.
-- Parameters: $postal_codes, $cities_nl, $cities_fr, $regions, $zones, $weights
CREATE OR REPLACE TEMP TABLE place_slots AS
WITH place AS (
    SELECT unnest(range(len($postal_codes))) AS place_no,
           unnest($postal_codes) AS postal_code, unnest($cities_nl) AS city_nl,
           unnest($cities_fr) AS city_fr, unnest($regions) AS region,
           unnest($zones) AS zone, unnest($weights) AS weight
),
copies AS (SELECT *, unnest(range(weight)) AS copy_no FROM place)
SELECT row_number() OVER (ORDER BY place_no, copy_no) - 1 AS slot,
       row_number() OVER (PARTITION BY zone ORDER BY place_no, copy_no) - 1 AS zone_rank,
       count(*) OVER (PARTITION BY zone) AS zone_slots,
       postal_code, city_nl, city_fr, region, zone
FROM copies;
