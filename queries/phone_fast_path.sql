-- Phone values of the candidate records that are already in E.164 for the case's region
-- (+ country code, national number matching the region's mobile or fixed-line pattern from
-- the phonenumbers metadata): they need no parsing. Each gets its type.
-- Parameters: $country_code, $mobile_pattern, $fixed_pattern
CREATE OR REPLACE TABLE phone_fast_path AS
WITH raw AS (
    SELECT DISTINCT clean_text(unnest(phones)) AS raw FROM recipient_candidates
)
SELECT
    raw,
    raw AS e164,
    CASE
        WHEN regexp_full_match(substr(raw, len($country_code) + 2), $mobile_pattern) THEN 'mobile'
        ELSE 'fixed'
    END AS kind
FROM raw
WHERE starts_with(raw, '+' || $country_code)
  AND (
      regexp_full_match(substr(raw, len($country_code) + 2), $mobile_pattern)
      OR regexp_full_match(substr(raw, len($country_code) + 2), $fixed_pattern)
  );
