-- What probabilistic linkage compares, one row per candidate record (every record of the
-- customer table): the folded first and last name and their initials, the birth date as
-- eight digits (yyyymmdd), the postal code (lower case, blanks removed), the street (the
-- folded address up to its first digit) and its initial, the house number (its first number,
-- so that a box written `bus 3`, `bte 3`, `/3` or not at all does not matter), the folded
-- address, the valid email and the first valid mobile number, and how many records carry the
-- first name (`first_records`: a name only one record carries may be a typo). Values only as
-- the identity rule already folds them; splink reads this table and nothing else.
-- Parameters: none
CREATE OR REPLACE TABLE linkage_input AS
SELECT
    customer_key,
    first_key,
    last_key,
    count(*) OVER (PARTITION BY first_key) AS first_records,
    left(first_key, 1) AS first_initial,
    left(last_key, 1) AS last_initial,
    strftime(birth, '%Y%m%d') AS birth,
    nullif(lower(regexp_replace(postal_code, '\s+', '', 'g')), '') AS postal_code,
    nullif(trim(regexp_extract(address_key, '^[^0-9]*')), '') AS street_key,
    nullif(regexp_extract(address_key, '[0-9]+'), '') AS house_key,
    left(nullif(trim(regexp_extract(address_key, '^[^0-9]*')), ''), 1) AS street_initial,
    address_key,
    email_norm AS email,
    mobile
FROM recipient_contacts;
