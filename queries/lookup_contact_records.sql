-- The records whose email and phone values the contact lookups normalise for the look-up
-- index: every record of the customer table, affected or not (contact_records names the
-- candidate records while the recipients are built).
-- Parameters: none
CREATE OR REPLACE VIEW contact_records AS
SELECT customer_key, email, phones FROM recipient_source;
