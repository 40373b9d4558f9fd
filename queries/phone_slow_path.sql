-- The phone values parsed by phonenumbers (phone_numbers: raw -> E.164, phone_kinds: raw ->
-- mobile, fixed, other or invalid), joined into one table.
-- Parameters: none
CREATE OR REPLACE TABLE phone_slow_path AS
SELECT n.raw, n.e164, k.kind
FROM phone_numbers AS n
JOIN phone_kinds AS k USING (raw);
