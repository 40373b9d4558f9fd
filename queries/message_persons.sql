-- The persons to send a message to in this wave (new or expanded, with a usable channel),
-- with what their message is made of: channel, language, name, contact point, address
-- lines, exposed categories (and those new in this wave, each joined with '|', in the
-- case's category order), wave status and flags, and whether each personal value a
-- template may name (first_name, last_name, address_line1, address_line2) is there. A
-- view: message_groups, messages_recipients and messages_file read it.
-- Parameters: none
CREATE OR REPLACE VIEW message_persons AS
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
    coalesce(deceased, false) AS deceased,
    coalesce(first_name, '') <> '' AS has_first_name,
    coalesce(last_name, '') <> '' AS has_last_name,
    coalesce(address_line1, '') <> '' AS has_address_line1,
    coalesce(address_line2, '') <> '' AS has_address_line2
FROM recipients
WHERE channel IS NOT NULL AND wave_status IN ('new', 'expanded');
