-- The distinct postal addresses (address fields joined by a space) of the candidate records,
-- to be folded for matching by contacts.fold.
-- Parameters: none
SELECT DISTINCT address_text AS address
FROM recipient_candidates
WHERE address_text IS NOT NULL
ORDER BY address;
