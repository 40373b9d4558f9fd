-- The SMS senders' file: recipients whose channel is SMS and who are new or expanded in this
-- wave: the mobile number in E.164 (validated, so left as is), the exposed categories in
-- their language; sorted by recipient_id.
-- Parameters: none
SELECT
    recipient_id,
    language,
    mobile,
    csv_safe(l.exposed) AS exposed,
    minor,
    deceased,
    shared_contact,
    wave_status
FROM recipients
JOIN recipient_labels AS l USING (categories, language)
WHERE channel = 'sms' AND wave_status IN ('new', 'expanded')
ORDER BY recipient_id;
