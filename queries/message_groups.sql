-- The groups of alike persons to send a message to: one row per distinct (channel,
-- language, categories, new categories, wave status, flags, which personal values are
-- there), whose message is rendered once (scoping.messages), in a stable order.
-- Parameters: none
SELECT DISTINCT
    channel,
    language,
    categories,
    new_categories,
    wave_status,
    minor,
    deceased,
    has_first_name,
    has_last_name,
    has_address_line1,
    has_address_line2
FROM message_persons
ORDER BY ALL;
