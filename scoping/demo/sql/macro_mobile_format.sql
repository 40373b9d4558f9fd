-- Defines mobile_format(prefix, s, style): a mobile number written in one of the five ways
-- people write one (prefix without the trunk 0, subscriber digits s).
-- Parameters: none
CREATE OR REPLACE TEMP MACRO mobile_format(prefix, s, style) AS
    CASE style
        WHEN 0 THEN '0' || prefix || ' ' || group_digits(s, ' ')     -- 0470 12 34 56
        WHEN 1 THEN '+32' || prefix || s                             -- +32470123456
        WHEN 2 THEN '0' || prefix || '/' || group_digits(s, '.')     -- 0470/12.34.56
        WHEN 3 THEN '+32 ' || prefix || ' ' || group_digits(s, ' ')  -- +32 470 12 34 56
        ELSE '0' || prefix || s                                      -- 0470123456
    END;
