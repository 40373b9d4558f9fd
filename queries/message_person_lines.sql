-- Each person to notify (message_persons) with the position of their group's line in the
-- templates (message_lines.line_no; NULL when the group has none and each of its persons'
-- messages is rendered for them: messages_recipients). The files' lines (messages_file) and
-- the persons rendered one by one read it.
-- Parameters: none
CREATE OR REPLACE VIEW message_person_lines AS
SELECT p.*, l.line_no
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
 AND l.has_address_line2 = p.has_address_line2;
