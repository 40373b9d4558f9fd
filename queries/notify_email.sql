-- The email senders' file: recipients whose channel is email and who are new or expanded in
-- this wave, with the exposed categories in their language; sorted by recipient_id.
-- Parameters: none
SELECT
    recipient_id,
    csv_safe(first_name) AS first_name,
    csv_safe(last_name) AS last_name,
    language,
    csv_safe(email) AS email,
    csv_safe(l.exposed) AS exposed,
    minor,
    deceased,
    shared_contact,
    wave_status
FROM recipients
JOIN recipient_labels AS l USING (categories, language)
WHERE channel = 'email' AND wave_status IN ('new', 'expanded')
ORDER BY recipient_id;
