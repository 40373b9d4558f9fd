-- The letter senders' file: recipients whose channel is a letter and who are new or expanded
-- in this wave: name, address lines, the exposed categories in their language; sorted by
-- recipient_id.
-- `exposed_new` words the categories new to the person in this wave (all of them for a new
-- person; for an expanded one, those no earlier list told them about).
-- Parameters: none
SELECT
    recipient_id,
    csv_safe(first_name) AS first_name,
    csv_safe(last_name) AS last_name,
    language,
    csv_safe(address_line1) AS address_line1,
    csv_safe(address_line2) AS address_line2,
    csv_safe(l.exposed) AS exposed,
    minor,
    deceased,
    shared_contact,
    wave_status,
    csv_safe(n.exposed) AS exposed_new
FROM recipients AS r
JOIN recipient_labels AS l USING (categories, language)
JOIN recipient_labels AS n ON n.categories = r.new_categories AND n.language = r.language
WHERE channel = 'letter' AND wave_status IN ('new', 'expanded')
ORDER BY recipient_id;
