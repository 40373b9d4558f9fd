-- Defines normalize_key(k): a customer key as both extracts are compared: clean_text (no
-- surrounding blanks), and, when the case strips key zeros (the default), an all-digit key
-- without its leading zeros ('000123' = '123'; '000' = '0'). Other keys keep every character
-- and their case. NULL when blank.
-- Parameters: none
CREATE OR REPLACE MACRO normalize_key(k) AS
    CASE
        WHEN getvariable('case_options').strip_key_zeros
            AND regexp_full_match(clean_text(k), '[0-9]+')
            THEN coalesce(nullif(ltrim(clean_text(k), '0'), ''), '0')
        ELSE clean_text(k)
    END;
