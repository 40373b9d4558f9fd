-- The persons whose message is rendered for each of them (their group's templates do not
-- pass the personal values through as they are, a text begins with one, or a text message
-- holds one or is too long: message_lines has no line_no for their group), by channel, then
-- recipient_id.
-- Parameters: none
SELECT * EXCLUDE (line_no)
FROM message_person_lines
WHERE line_no IS NULL
ORDER BY channel, recipient_id;
