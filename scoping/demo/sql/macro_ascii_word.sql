-- Defines ascii_word(s): a name as it appears in an email address (lower case, no accents,
-- letters only).
-- Parameters: none
CREATE OR REPLACE TEMP MACRO ascii_word(s) AS
    regexp_replace(strip_accents(lower(s)), '[^a-z]', '', 'g');
