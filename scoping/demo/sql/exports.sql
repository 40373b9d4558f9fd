-- The exports table: the report exports, each listing 100-500 customers (by the suspect,
-- 80% of them) or 50-150 (by an agent), at most $target; as many as fit in $export_rows rows,
-- so that the total row count comes out exact.
-- Parameters: $seed, $export_rows, $target
CREATE OR REPLACE TEMP TABLE exports AS
WITH candidates AS (
    SELECT j, rnd($seed, j, 'exporter') < 0.8 AS by_suspect
    FROM range($export_rows // 50 + 1) AS t(j)
),
sized AS (
    SELECT j, by_suspect,
           least(CASE WHEN by_suspect THEN 100 + pick($seed, j, 'export_size', 401)
                      ELSE 50 + pick($seed, j, 'export_size', 101) END, $target) AS size
    FROM candidates
)
SELECT j, by_suspect, size
FROM sized
QUALIFY sum(size) OVER (ORDER BY j) <= $export_rows;
