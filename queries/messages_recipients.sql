-- The persons whose message is rendered for each of them (their group's templates do not
-- pass the personal values through as they are, a text begins with one, or a text message
-- holds one or is too long: message_lines has no line_no for their group), by channel, then
-- recipient_id.
-- Parameters: none
SELECT p.*
FROM message_persons AS p
JOIN message_lines AS l
  ON l.channel = p.channel
 AND l.language = p.language
 AND l.categories IS NOT DISTINCT FROM p.categories
 AND l.new_categories IS NOT DISTINCT FROM p.new_categories
 AND l.wave_status = p.wave_status
 AND l.minor = p.minor
 AND l.deceased = p.deceased
 AND l.has_first_name = p.has_first_name
 AND l.has_last_name = p.has_last_name
 AND l.has_address_line1 = p.has_address_line1
 AND l.has_address_line2 = p.has_address_line2
WHERE l.line_no IS NULL
ORDER BY p.channel, p.recipient_id;
