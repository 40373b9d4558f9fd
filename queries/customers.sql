-- The customer table as staged: one row per customer record, the key through clean_text and
-- normalize_key (the same rule as the access log's keys). Rows whose key is blank are kept
-- here and reported by customer_problems.
-- Parameters: none
CREATE OR REPLACE VIEW customers AS
SELECT * REPLACE (normalize_key(clean_text(customer_key)) AS customer_key)
FROM staged_customers;
