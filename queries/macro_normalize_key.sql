-- Defines normalize_key(k), for a key already through clean_text: the key as both extracts
-- are compared. When the case strips key zeros (the default), an all-digit key loses its
-- leading zeros ('000123' = '123'; '000' = '0'); other keys keep every character and their
-- case. Only keys that begin with 0 can change, so only those are tested further.
-- Parameters: none
CREATE OR REPLACE MACRO normalize_key(k) AS
    CASE
        WHEN getvariable('case_options').strip_key_zeros
            AND starts_with(k, '0')
            AND regexp_full_match(k, '[0-9]+')
            THEN coalesce(nullif(ltrim(k, '0'), ''), '0')
        ELSE k
    END;
