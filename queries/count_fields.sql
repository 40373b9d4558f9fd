-- Affected customer records per field: how many customers had that field exposed.
-- In declaration order; a field nobody had exposed shows 0.
-- Parameters: none
SELECT f.field, f.category, count(a.customer_key) AS customers
FROM fields AS f
LEFT JOIN affected_customers AS a ON (a.exposed_mask & f.mask) <> 0
GROUP BY f.field, f.category, f.bit
ORDER BY f.bit;
