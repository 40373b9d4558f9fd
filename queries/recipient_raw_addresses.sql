-- The distinct postal addresses (address fields joined by a space) of the candidate records
-- that are not plain ASCII, to be folded for matching by contacts.fold (address_lookup folds
-- the ASCII ones itself).
-- Parameters: none
SELECT DISTINCT address_text AS address
FROM recipient_candidates
WHERE address_text IS NOT NULL
  AND strlen(address_text) <> length(address_text)
ORDER BY address;
