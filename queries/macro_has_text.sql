-- Defines has_text(v): whether v holds something other than blanks, exactly
-- clean_text(v) IS NOT NULL (false for NULL). A value whose first character is not a blank
-- has text: a first code point between 33 and 159 (printable ASCII, DEL, C1: no blank)
-- settles it with two comparisons, then the six blanks are tested; only a value that begins
-- with a blank is cleaned. Used for the record column of the access log (whether a row names
-- a key); a customer's value counts as available by the stricter macro_available.
-- Parameters: none
CREATE OR REPLACE MACRO has_text(v) AS
    CASE
        WHEN unicode(v) BETWEEN 33 AND 159 THEN true
        WHEN v = '' THEN false
        WHEN unicode(v) NOT IN (9, 10, 13, 32, 160, 65279) THEN true
        ELSE coalesce(clean_text(v) IS NOT NULL, false)
    END;
