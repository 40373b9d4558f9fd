-- Exposure in long form: one row per (affected customer, exposed field), with its category.
-- Parameters: none
CREATE OR REPLACE VIEW exposure AS
SELECT a.customer_key, f.field, f.category
FROM affected_customers AS a
JOIN fields AS f ON (a.exposed_mask & f.mask) <> 0;
