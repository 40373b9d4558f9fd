-- Defines visible(v): whether v holds a character other than blanks, space characters
-- (Unicode White_Space: U+2003, U+3000, ...), control characters (U+0085, ...) and format
-- characters (U+200B, U+FEFF, ...). A value that is not visible is blank; a visible one that
-- is not available (macro_available) is a placeholder (`n/a`, `-`). Used by `check`'s
-- profile of the customer fields.
-- Parameters: none
CREATE OR REPLACE MACRO visible(v) AS
    coalesce(regexp_matches(v, '[^\p{Z}\p{Cc}\p{Cf}]'), false);
