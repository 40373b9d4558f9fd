-- Every distinct postal address of the candidate records with its folded form for matching
-- (NULL when nothing is left). An address in plain ASCII (as many bytes as characters) is
-- folded here exactly as contacts.fold folds ASCII text: lower case, every run of characters
-- other than a-z and 0-9 turned into one space, trimmed. The others were folded by
-- contacts.fold (address_slow_path).
-- Parameters: none
CREATE OR REPLACE TABLE address_lookup AS
SELECT raw, nullif(trim(regexp_replace(lower(raw), '[^a-z0-9]+', ' ', 'g')), '') AS folded
FROM (
    SELECT DISTINCT address_text AS raw
    FROM recipient_candidates
    WHERE address_text IS NOT NULL
      AND strlen(address_text) = length(address_text)
)
UNION ALL
SELECT raw, folded FROM address_slow_path;
