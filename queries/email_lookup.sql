-- Every email value of contact_records (every customer record) with its folded valid address
-- (NULL: not valid): the fast path and the values checked by email-validator.
-- Parameters: none
CREATE OR REPLACE TABLE email_lookup AS
SELECT raw, email FROM email_fast_path
UNION ALL
SELECT raw, email FROM email_slow_path;
