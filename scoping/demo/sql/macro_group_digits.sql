-- Defines group_digits(s, sep): subscriber digits in groups, 1234567 -> 123 45 67 and
-- 123456 -> 12 34 56 (with the separator given).
-- Parameters: none
CREATE OR REPLACE TEMP MACRO group_digits(s, sep) AS
    CASE length(s) WHEN 7 THEN s[1:3] || sep || s[4:5] || sep || s[6:7]
         ELSE s[1:2] || sep || s[3:4] || sep || s[5:6] END;
