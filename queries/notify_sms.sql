-- The SMS senders' file: recipients whose channel is SMS and who are new or expanded in this
-- wave: the mobile number in E.164 (validated, so left as is), the exposed categories in
-- their language; sorted by recipient_id.
-- `exposed_new` words the categories new to the person in this wave (all of them for a new
-- person; for an expanded one, those no earlier list told them about).
-- Parameters: none
SELECT
    recipient_id,
    language,
    mobile,
    csv_safe(l.exposed) AS exposed,
    minor,
    deceased,
    shared_contact,
    wave_status,
    csv_safe(n.exposed) AS exposed_new
FROM recipients AS r
JOIN recipient_labels AS l USING (categories, language)
JOIN recipient_labels AS n ON n.categories = r.new_categories AND n.language = r.language
WHERE channel = 'sms' AND wave_status IN ('new', 'expanded')
ORDER BY recipient_id;
