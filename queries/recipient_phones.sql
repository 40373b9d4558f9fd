-- The valid phone numbers of the candidate records, one row per (record, phone field
-- holding a valid number): its E.164 form and type (mobile, fixed, other). A long table
-- rather than lists per record: the identity rule reads the mobiles, the shared-contact
-- flag reads every number, and neither needs them grouped.
-- Parameters: none
CREATE OR REPLACE TABLE recipient_phones AS
SELECT c.customer_key, p.e164, p.kind
FROM (SELECT customer_key, clean_text(unnest(phones)) AS raw FROM recipient_candidates) AS c
JOIN phone_lookup AS p ON p.raw = c.raw
WHERE p.e164 IS NOT NULL;
