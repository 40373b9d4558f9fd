-- The distinct first and last names (clean_text) of all customer records, to be folded for
-- matching by contacts.fold (NFKC, case folding, accents, explicit letter table).
-- Parameters: none
SELECT DISTINCT name
FROM (
    SELECT clean_text(first_name) AS name FROM recipient_source
    UNION ALL
    SELECT clean_text(last_name) FROM recipient_source
)
WHERE name IS NOT NULL
ORDER BY name;
