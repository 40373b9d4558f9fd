-- Adds to phone_lookup (the look-up index's, of the values the recipients had not normalised)
-- the recipients' own lookup (known_phones): together every phone value of the customer table
-- with its E.164 form and type. No value is in both.
-- Parameters: none
INSERT INTO phone_lookup SELECT raw, e164, kind FROM known_phones;
