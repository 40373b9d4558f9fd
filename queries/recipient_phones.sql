-- Every phone value of the customer records, one row per (record, phone field holding a
-- value): its E.164 form and type (mobile, fixed, other; invalid, with no E.164 form), as the
-- fast path settled it or else phonenumbers (phone_slow_path). A long table rather than lists
-- per record: the identity rule reads the candidates' mobiles, the shared-contact flag every
-- valid number of the persons' records, recipient_contacts the first mobile and whether one
-- is invalid, and the look-up index every valid number; none needs them grouped.
-- Parameters: none
CREATE OR REPLACE TABLE recipient_phones AS
SELECT customer_key, e164, kind
FROM phone_fast_path
WHERE kind IS NOT NULL
UNION ALL
SELECT f.customer_key, s.e164, s.kind
FROM phone_fast_path AS f
JOIN phone_slow_path AS s USING (raw)
WHERE f.kind IS NULL;
