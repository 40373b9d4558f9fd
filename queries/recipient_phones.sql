-- Every phone value of the candidate records, one row per (record, phone field holding a
-- value): its E.164 form and type (mobile, fixed, other; invalid, with no E.164 form). A
-- long table rather than lists per record: the identity rule reads the mobiles, the
-- shared-contact flag every valid number, recipient_contacts the first mobile and whether
-- one is invalid; none needs them grouped, and the values are looked up once.
-- Parameters: none
CREATE OR REPLACE TABLE recipient_phones AS
SELECT c.customer_key, p.e164, p.kind
FROM (SELECT customer_key, clean_text(unnest(phones)) AS raw FROM recipient_candidates) AS c
JOIN phone_lookup AS p ON p.raw = c.raw;
