-- The customer table as staged: one row per customer record, the key cleaned by clean_text.
-- Rows whose key is blank are kept here and reported by customer_problems.
-- Parameters: none
CREATE OR REPLACE VIEW customers AS
SELECT * REPLACE (clean_text(customer_key) AS customer_key)
FROM staged_customers;
