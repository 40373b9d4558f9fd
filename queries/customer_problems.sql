-- Customer-table problems that stop a run: blank keys and keys that occur more than once
-- (after clean_text and normalize_key: `0042` and `42` are one key). One row per problem
-- kind, with the number of keys concerned and the first few (sorted) duplicated keys as
-- examples. One pass over the table: the blank keys are the NULL group of the same count by
-- key.
-- Parameters: none
WITH problems AS (
    SELECT match_key, count(*) AS n
    FROM customers
    GROUP BY match_key
    HAVING count(*) > 1 OR match_key IS NULL
)
SELECT 'blank_key' AS problem, n AS keys, [] :: VARCHAR[] AS examples
FROM problems
WHERE match_key IS NULL
UNION ALL
SELECT 'duplicate_key', count(*), list(match_key ORDER BY match_key)[1:5]
FROM problems
WHERE match_key IS NOT NULL
HAVING count(*) > 0;
