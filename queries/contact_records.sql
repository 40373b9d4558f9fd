-- The records whose email and phone values the contact lookups normalise (email_fast_path,
-- phone_fast_path and the values left to the libraries): here the candidate records of the
-- affected people.
-- Parameters: none
CREATE OR REPLACE VIEW contact_records AS
SELECT customer_key, email, phones FROM recipient_candidates;
