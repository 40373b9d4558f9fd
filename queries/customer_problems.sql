-- Customer-table problems that stop a run: blank keys and keys that occur more than once
-- (after clean_text). One row per problem kind, with the number of keys concerned and the
-- first few (sorted) duplicated keys as examples.
-- Parameters: none
WITH blank AS (
    SELECT count(*) AS n FROM customers WHERE customer_key IS NULL
),
dup AS (
    SELECT customer_key, count(*) AS n
    FROM customers
    WHERE customer_key IS NOT NULL
    GROUP BY customer_key
    HAVING count(*) > 1
)
SELECT 'blank_key' AS problem, n AS keys, [] :: VARCHAR[] AS examples FROM blank WHERE n > 0
UNION ALL
SELECT 'duplicate_key', count(*), list(customer_key ORDER BY customer_key)[1:5]
FROM dup HAVING count(*) > 0;
