-- For every distinct exposed field mask, the categories it covers, in declaration order,
-- joined with '|'. Used for the categories column and the per-combination counts.
-- Parameters: none
CREATE OR REPLACE TABLE mask_categories AS
WITH masks AS (
    SELECT DISTINCT exposed_mask FROM affected_customers
),
categories AS (
    SELECT category, bit_or(mask) AS mask, min(bit) AS position
    FROM fields
    GROUP BY category
)
SELECT
    m.exposed_mask,
    string_agg(c.category, '|' ORDER BY c.position) AS categories
FROM masks AS m
JOIN categories AS c ON (m.exposed_mask & c.mask) <> 0
GROUP BY m.exposed_mask;
