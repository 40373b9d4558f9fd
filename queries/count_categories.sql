-- Affected customer records per category: customers with at least one field of that category
-- exposed. In order of first declaration; a category nobody had exposed shows 0.
-- Parameters: none
WITH categories AS (
    SELECT category, bit_or(mask) AS mask, min(bit) AS position
    FROM fields
    GROUP BY category
)
SELECT c.category, count(a.customer_key) AS customers
FROM categories AS c
LEFT JOIN affected_customers AS a ON (a.exposed_mask & c.mask) <> 0
GROUP BY c.category, c.position
ORDER BY c.position;
