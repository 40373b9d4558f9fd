-- Every phone value of contact_records (every customer record) with its E.164 form and type
-- (mobile, fixed, other, invalid): the fast path and the values parsed by phonenumbers.
-- Parameters: none
CREATE OR REPLACE TABLE phone_lookup AS
SELECT raw, e164, kind FROM phone_fast_path
UNION ALL
SELECT raw, e164, kind FROM phone_slow_path;
