-- Every phone value of the customer records, one row per (record, phone field holding a
-- value): its E.164 form and type (mobile, fixed, other; invalid, with no E.164 form). A
-- long table rather than lists per record: the identity rule reads the candidates' mobiles,
-- the shared-contact flag every valid number of the persons' records, recipient_contacts the
-- first mobile and whether one is invalid, and the look-up index every valid number; none
-- needs them grouped, and each value is matched to its lookup once, for all of them.
-- Parameters: none
CREATE OR REPLACE TABLE recipient_phones AS
SELECT c.customer_key, p.e164, p.kind
FROM (SELECT customer_key, clean_text(unnest(phones)) AS raw FROM recipient_source) AS c
JOIN phone_lookup AS p ON p.raw = c.raw;
