-- The look-up index's entries: one row per (kind, value, record) by which an agent finds a
-- record: `key` (the key as matched, normalize_key), `email` (the valid address, folded:
-- recipient_emails), `phone` (each valid number of the record's phone fields in E.164:
-- recipient_phones), and `name` (the folded last name and the birth date, `last|yyyy-mm-dd`).
-- Every record of the customer table is in it, affected or not. A view: its only reader,
-- lookup_entries_file, sorts it as it writes it, and a table would hold every entry once more.
-- Parameters: none
CREATE OR REPLACE VIEW lookup_entries AS
SELECT 'key' AS kind, match_key AS value, customer_key
FROM lookup_records
WHERE match_key IS NOT NULL
UNION ALL
SELECT 'email', email, customer_key
FROM recipient_emails
WHERE email IS NOT NULL
UNION ALL
SELECT DISTINCT 'phone', e164, customer_key
FROM recipient_phones
WHERE e164 IS NOT NULL
UNION ALL
SELECT 'name', last_key || '|' || strftime(birth_date, '%Y-%m-%d'), customer_key
FROM lookup_records
WHERE last_key IS NOT NULL AND birth_date IS NOT NULL;
