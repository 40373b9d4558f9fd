-- Every email value of the customer records, one row per record holding one: its folded
-- valid address (NULL: not valid), as the fast path settled it or else email-validator
-- (email_slow_path). recipient_contacts reads the candidates', the look-up index every
-- record's.
-- Parameters: none
CREATE OR REPLACE TABLE recipient_emails AS
SELECT customer_key, email
FROM email_fast_path
WHERE settled
UNION ALL
SELECT f.customer_key, s.email
FROM email_fast_path AS f
JOIN email_slow_path AS s USING (raw)
WHERE NOT f.settled;
