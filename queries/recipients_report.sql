-- The rows of recipients.csv: every affected person, sorted by recipient_id, free-text
-- values passed through csv_safe.
-- Parameters: none
SELECT
    recipient_id,
    csv_safe(customer_keys) AS customer_keys,
    csv_safe(affected_keys) AS affected_keys,
    csv_safe(first_name) AS first_name,
    csv_safe(last_name) AS last_name,
    language,
    coalesce(channel, 'none') AS channel,
    csv_safe(email) AS email,
    mobile,
    csv_safe(address_line1) AS address_line1,
    csv_safe(address_line2) AS address_line2,
    fields,
    categories,
    first_exposure_utc,
    last_exposure_utc,
    minor,
    deceased,
    shared_contact,
    shared_contact_points,
    invalid_contact,
    merge_reason,
    wave_status,
    new_categories
FROM recipients
ORDER BY recipient_id;
