-- The persons to send a message to in this wave (new or expanded, with a usable channel),
-- with what their message is made of: channel, language, name, contact point, address
-- lines, exposed categories (and those new in this wave, each joined with '|', in the
-- case's category order), wave status and flags; by channel, then recipient_id.
-- Parameters: none
SELECT
    recipient_id,
    channel,
    language,
    first_name,
    last_name,
    email,
    mobile,
    address_line1,
    address_line2,
    categories,
    new_categories,
    wave_status,
    coalesce(minor, false) AS minor,
    coalesce(deceased, false) AS deceased
FROM recipients
WHERE channel IS NOT NULL AND wave_status IN ('new', 'expanded')
ORDER BY channel, recipient_id;
