-- The distinct phone values (clean_text) of contact_records that the fast path did not
-- settle, to be parsed by phonenumbers with the case's default region.
-- Parameters: none
SELECT DISTINCT raw
FROM (SELECT clean_text(unnest(phones)) AS raw FROM contact_records)
WHERE raw IS NOT NULL AND raw NOT IN (SELECT raw FROM phone_fast_path)
ORDER BY raw;
