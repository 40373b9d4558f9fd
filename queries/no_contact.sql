-- The affected people with no usable channel (no valid email, no valid mobile, no complete
-- address), new or expanded in this wave: the law's fallback is a public communication.
-- Parameters: none
SELECT
    recipient_id,
    csv_safe(customer_keys) AS customer_keys,
    csv_safe(first_name) AS first_name,
    csv_safe(last_name) AS last_name,
    language,
    categories,
    minor,
    deceased,
    invalid_contact,
    wave_status,
    new_categories
FROM recipients
WHERE channel IS NULL AND wave_status IN ('new', 'expanded')
ORDER BY recipient_id;
