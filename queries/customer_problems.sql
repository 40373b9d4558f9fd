-- Customer-table problems that stop a run: blank keys and keys that occur more than once
-- (after clean_text and normalize_key: `0042` and `42` are one key). One row per problem
-- kind, with the number of keys concerned, the first few (sorted) duplicated keys as
-- examples, each as the extract wrote its spellings (`0042/42`), and how many duplicated keys
-- are spelt differently (which only the leading-zeros rule made one key). The keys are
-- counted in one pass (the blank keys are its NULL group), and the spellings are gathered
-- for the repeated keys only: on a clean table that is none, and no list is built per key.
-- Parameters: none
WITH counted AS (
    SELECT match_key, count(*) AS n
    FROM customers
    GROUP BY match_key
    HAVING count(*) > 1 OR match_key IS NULL
),
problems AS (
    SELECT
        c.match_key,
        any_value(k.n) AS n,
        string_agg(DISTINCT c.customer_key, '/' ORDER BY c.customer_key) AS written,
        count(DISTINCT c.customer_key) > 1 AS spellings
    FROM customers AS c
    JOIN counted AS k ON k.match_key = c.match_key
    GROUP BY c.match_key
    UNION ALL
    SELECT match_key, n, NULL, false FROM counted WHERE match_key IS NULL
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
