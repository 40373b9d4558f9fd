-- The email and phone values that the contact lookups normalise for the look-up index: those
-- of every record of the customer table, affected or not, that the recipients' lookups do not
-- hold already (known_emails and known_phones: email_lookup and phone_lookup as the recipients
-- left them, for the candidate records), each distinct value once, an email as `email`, a
-- phone value as a list of one in `phones`. A table: the fast paths and the values left to the
-- libraries read it four times. (contact_records names the candidate records while the
-- recipients are built.)
-- Parameters: none
CREATE OR REPLACE TABLE contact_records AS
SELECT CAST(NULL AS VARCHAR) AS customer_key, raw AS email, CAST([] AS VARCHAR[]) AS phones
FROM (SELECT DISTINCT clean_text(email) AS raw FROM recipient_source)
WHERE raw IS NOT NULL AND raw NOT IN (SELECT raw FROM known_emails)
UNION ALL
SELECT CAST(NULL AS VARCHAR), CAST(NULL AS VARCHAR), [raw]
FROM (SELECT DISTINCT clean_text(unnest(phones)) AS raw FROM recipient_source)
WHERE raw IS NOT NULL AND raw NOT IN (SELECT raw FROM known_phones);
