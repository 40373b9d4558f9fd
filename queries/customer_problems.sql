-- Customer-table problems that stop a run: blank keys and keys that occur more than once
-- (after clean_text and normalize_key: `0042` and `42` are one key). One row per problem
-- kind, with the number of keys concerned, the first few (sorted) duplicated keys as
-- examples, each as the extract wrote its spellings (`0042/42`), and how many duplicated keys
-- are spelt differently (which only the leading-zeros rule made one key). One pass over the
-- table: the blank keys are the NULL group of the same count by key.
-- Parameters: none
WITH problems AS (
    SELECT
        match_key,
        count(*) AS n,
        string_agg(DISTINCT customer_key, '/' ORDER BY customer_key) AS written,
        count(DISTINCT customer_key) > 1 AS spellings
    FROM customers
    GROUP BY match_key
    HAVING count(*) > 1 OR match_key IS NULL
)
SELECT 'blank_key' AS problem, n AS keys, [] :: VARCHAR[] AS examples, 0 AS spelt_apart
FROM problems
WHERE match_key IS NULL
UNION ALL
SELECT
    'duplicate_key',
    count(*),
    list(written ORDER BY match_key)[1:5],
    count(*) FILTER (WHERE spellings)
FROM problems
WHERE match_key IS NOT NULL
HAVING count(*) > 0;
