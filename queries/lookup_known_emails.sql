-- Adds to email_lookup (the look-up index's, of the values the recipients had not normalised)
-- the recipients' own lookup (known_emails): together every email value of the customer table
-- with its folded valid address (NULL: not valid). No value is in both.
-- Parameters: none
INSERT INTO email_lookup SELECT raw, email FROM known_emails;
