-- An agent's look-up values as the run read the customer table's: the key through
-- clean_text and normalize_key, the birth date through parse_date, the postal code through
-- clean_text (NULL for a value not given, or not read).
-- Parameters: $key, $birth_date, $postal_code
SELECT
    normalize_key(clean_text(CAST($key AS VARCHAR))) AS match_key,
    parse_date(clean_text(CAST($birth_date AS VARCHAR))) AS birth_date,
    clean_text(CAST($postal_code AS VARCHAR)) AS postal_code;
