-- The distinct phone values (clean_text) of contact_records that the fast path did not
-- settle, to be parsed by phonenumbers with the case's default region.
-- Parameters: none
SELECT DISTINCT raw
FROM phone_fast_path
WHERE kind IS NULL
ORDER BY raw;
