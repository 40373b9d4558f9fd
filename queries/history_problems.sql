-- The customers' history checked per key (customer_versions, usable rows, in order of
-- valid_from): `overlap`, a version that begins before the one before it ends (or that one
-- never ends); `gap`, a version that begins after the one before it ended. For each, the
-- versions and the keys concerned, and the first five keys (never a value). Every problem
-- counts against max_rejected; an overlap is resolved by the later version (valid_until).
-- Parameters: none
WITH ordered AS (
    SELECT
        customer_key,
        match_key,
        valid_from,
        lag(valid_to) OVER w AS previous_to,
        row_number() OVER w AS n
    FROM customer_versions
    WHERE reject_reason IS NULL
    WINDOW w AS (PARTITION BY match_key ORDER BY valid_from, source_file, source_row)
),
found AS (
    SELECT
        customer_key,
        match_key,
        CASE
            WHEN previous_to IS NULL OR valid_from < previous_to THEN 'overlap'
            WHEN valid_from > previous_to THEN 'gap'
        END AS problem
    FROM ordered
    WHERE n > 1
)
SELECT
    problem,
    count(*) AS versions,
    count(DISTINCT match_key) AS keys,
    list(DISTINCT customer_key ORDER BY customer_key)[1:5] AS examples
FROM found
WHERE problem IS NOT NULL
GROUP BY problem
ORDER BY problem DESC;
