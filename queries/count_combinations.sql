-- Affected customer records per combination of exposed categories, largest first (ties by
-- the combination's text).
-- Parameters: none
SELECT m.categories, count(*) AS customers
FROM affected_customers AS a
JOIN mask_categories AS m USING (exposed_mask)
GROUP BY m.categories
ORDER BY customers DESC, m.categories;
