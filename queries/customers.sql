-- The customer table as staged: one row per customer record, the key as the extract wrote it
-- (through clean_text: blanks around it removed, nothing else changed), which every output
-- writes, and `match_key`, the same key through normalize_key (the rule the access log's
-- keys go through), which only matching between the extracts reads. Rows whose key is blank
-- are kept here and reported by customer_problems.
-- Parameters: none
CREATE OR REPLACE VIEW customers AS
SELECT
    * REPLACE (clean_text(customer_key) AS customer_key),
    normalize_key(clean_text(customer_key)) AS match_key
FROM staged_customers;
