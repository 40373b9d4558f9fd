-- Defines fixed_format(zone, s, style): a fixed line written in one of the four ways people
-- write one (zone with its trunk 0, subscriber digits s).
-- Parameters: none
CREATE OR REPLACE TEMP MACRO fixed_format(zone, s, style) AS
    CASE style
        WHEN 0 THEN zone || ' ' || group_digits(s, ' ')             -- 02 123 45 67
        WHEN 1 THEN '+32 ' || zone[2:] || ' ' || group_digits(s, ' ') -- +32 2 123 45 67
        WHEN 2 THEN '0032 ' || zone[2:] || ' ' || s                 -- 0032 2 1234567
        ELSE zone || '/' || group_digits(s, '.')                    -- 02/123.45.67
    END;
