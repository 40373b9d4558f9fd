-- Writes customers.csv to $path: $customers accounts of customer_rows in customer number
-- order (the multipliers and shifts of the scrambles, the email domains and mobile prefixes
-- are bound; $noisy makes second accounts noisy and adds the look-alike hard cases).
-- Parameters: $seed, $customers, $place_mult, $place_shift, $slots, $domains, $mobile_mult, $mobile_shift, $fixed_mult, $mobile_prefixes, $noisy, $path
COPY (
SELECT customer_id, first_name, last_name, street, house_number, postal_code, city, email,
       date_of_birth, fixed_phone, mobile_phone, language, brand
FROM customer_rows($seed, $customers, $place_mult, $place_shift, $slots, $domains,
                   $mobile_mult, $mobile_shift, $fixed_mult, $mobile_prefixes, $noisy)
ORDER BY i
) TO $path (FORMAT csv, HEADER true, DELIMITER ',');
