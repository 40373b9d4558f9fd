-- Defines email_address(first, last, key, style, domain): an address in one of four
-- styles, unique per key (the key's number ends the local part).
-- Parameters: none
CREATE OR REPLACE TEMP MACRO email_address(first, last, key, style, domain) AS
    CASE style
        WHEN 0 THEN ascii_word(first) || '.' || ascii_word(last)
        WHEN 1 THEN ascii_word(first) || ascii_word(last)
        WHEN 2 THEN left(ascii_word(first), 1) || '.' || ascii_word(last)
        ELSE ascii_word(last) || '.' || ascii_word(first)
    END || CAST(key + 1 AS VARCHAR) || '@' || domain;
