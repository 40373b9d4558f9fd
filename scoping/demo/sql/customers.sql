-- Writes customers.csv to $path: $customers accounts in customer number order.
-- Each account i has a role; derived accounts (second account of a person, household member,
-- twin) copy parts of an earlier account `src`, and only of a single one, so that copies never
-- chain. Three keys then say where each value comes from:
--   family: the names and birth date the account derives from (src, or i for a single),
--   person: the mobile and own email (src for a second account, else i),
--   home:   the address and fixed line (src for households, twins and most second accounts).
-- A key's place: x = scramble(key) picks a block (x // slots) and a slot within it, rotated per
-- block, so every (slot, block) pair belongs to one key: fixed lines built from it are unique
-- within a zone (for up to ~10M customers) while places look random along the file. The
-- multipliers and shifts of the scrambles, the email domains and mobile prefixes are bound.
-- Parameters: $seed, $customers, $place_mult, $place_shift, $slots, $domains, $mobile_mult, $mobile_shift, $fixed_mult, $mobile_prefixes, $path
COPY (
WITH
roles AS (
    SELECT i, src,
           CASE WHEN i > 0 AND account_role(rnd($seed, src, 'role')) = 'single'
                THEN account_role(rnd($seed, i, 'role')) ELSE 'single' END AS role
    FROM (SELECT i, pick($seed, i, 'source', greatest(i, 1)) AS src
          FROM range($customers) AS t(i))
),
keys AS (
    SELECT i, src, role,
           CASE WHEN role = 'single' THEN i ELSE src END AS family,
           CASE WHEN role = 'second_account' THEN src ELSE i END AS person,
           CASE WHEN role IN ('household', 'twin')
                  OR (role = 'second_account' AND rnd($seed, i, 'same_home') < 0.8)
                THEN src ELSE i END AS home
    FROM roles
),
scrambled AS (
    SELECT *, scramble(home, $place_mult, $place_shift, $customers) AS home_x,
              scramble(family, $place_mult, $place_shift, $customers) AS family_x
    FROM keys
),
located AS (
    SELECT s.*, h.postal_code, h.city_nl, h.city_fr, h.zone, h.zone_rank, h.zone_slots,
           h.region AS home_region, f.region AS family_region, s.home_x // $slots AS block
    FROM scrambled AS s
    JOIN place_slots AS h
      ON h.slot = (s.home_x + pick($seed, s.home_x // $slots, 'rotation', $slots)) % $slots
    JOIN place_slots AS f
      ON f.slot = (s.family_x + pick($seed, s.family_x // $slots, 'rotation', $slots)) % $slots
),
-- Language follows the home; names follow the family's origin: its region's language, or
-- (15%, 30% in Brussels) the pool of names from elsewhere.
languages AS (
    SELECT *,
           region_language(home_region, rnd($seed, home, 'brussels_language')) AS language,
           CASE WHEN rnd($seed, family, 'elsewhere')
                     < CASE family_region WHEN 'BRU' THEN 0.3 ELSE 0.15 END THEN 'xx'
                ELSE region_language(family_region, rnd($seed, family, 'brussels_language'))
           END AS origin
    FROM located
),
-- Household members and twins get a first name other than the family key's own.
named AS (
    SELECT l.*, s.streets,
           pick($seed, family, 'first', len(n.first_names)) AS family_first_no,
           n.first_names[1 + family_first_no] AS family_first,
           n.first_names[1 + (family_first_no + 1
               + pick($seed, i, 'other_first', len(n.first_names) - 1))
               % len(n.first_names)] AS other_first,
           n.last_names[1 + pick($seed, family, 'last', len(n.last_names))] AS family_last,
           n.last_names[1 + pick($seed, i, 'last', len(n.last_names))] AS own_last
    FROM languages AS l
    JOIN name_pools AS n ON n.origin = l.origin
    JOIN name_pools AS s ON s.origin = l.language
),
people AS (
    SELECT *,
           CASE WHEN role IN ('household', 'twin') THEN other_first
                ELSE family_first END AS first_name,
           CASE WHEN role = 'household' AND rnd($seed, i, 'own_surname') < 0.4 THEN own_last
                ELSE family_last END AS last_name,
           birth_date($seed, family) AS family_birth,
           -- a household member is a partner (born up to 6 years apart) or a child (22-38
           -- years later); when that birth date would be after 2013-11-29 (too young to
           -- hold an account), the member is born that much earlier instead
           CAST(CASE WHEN rnd($seed, i, 'child') < 0.4
                     THEN 8036 + pick($seed, i, 'generation', 5844)
                     ELSE (1 + pick($seed, i, 'age_gap', 2190))
                          * (CASE WHEN rnd($seed, i, 'older') < 0.5 THEN -1 ELSE 1 END)
                END AS INTEGER) AS gap_days,
           rnd($seed, family, 'has_email') < 0.7 AS family_has_email,
           rnd($seed, i, 'has_email') < 0.7 AS own_has_email,
           rnd($seed, person, 'has_mobile') < 0.8 AS has_mobile,
           -- a second account keeps the email, the mobile or both of the person
           CASE WHEN role <> 'second_account' OR NOT family_has_email OR NOT has_mobile
                THEN 'both'
                WHEN rnd($seed, i, 'link') < 0.25 THEN 'mobile'
                WHEN rnd($seed, i, 'link') < 0.50 THEN 'email'
                ELSE 'both' END AS link
    FROM named
),
contacts AS (
    SELECT *,
           CASE WHEN family_has_email
                THEN email_address(family_first, family_last, family,
                                   pick($seed, family, 'email_style', 4),
                                   $domains[1 + pick($seed, family, 'domain', len($domains))])
           END AS family_email,
           CASE WHEN own_has_email
                THEN email_address(first_name, last_name, i, pick($seed, i, 'email_style', 4),
                                   $domains[1 + pick($seed, i, 'domain', len($domains))])
           END AS own_email,
           scramble(person, $mobile_mult, $mobile_shift, 25000000) AS mobile_no,
           -- subscriber digits start at 2: 7 of them after a one-digit zone (02), else 6
           CASE length(zone) WHEN 2 THEN 1000000 ELSE 100000 END AS fixed_unit,
           block * zone_slots + zone_rank AS line_no
    FROM people
),
-- The columns as written. A second account shows the person's names as typed again
-- (accents dropped, lower or upper case) and, more often, an email in capitals.
accounts AS (
    SELECT i,
           CASE WHEN role <> 'second_account' THEN first_name
                WHEN rnd($seed, i, 'spelling') < 0.25 THEN strip_accents(first_name)
                WHEN rnd($seed, i, 'spelling') < 0.35 THEN lower(first_name)
                ELSE first_name END AS first_name,
           CASE WHEN role = 'second_account' AND rnd($seed, i, 'spelling') >= 0.75
                THEN upper(last_name) ELSE last_name END AS last_name,
           street,
           CAST(1 + pick($seed, home, 'house', 160) AS VARCHAR) || CASE
               WHEN rnd($seed, home, 'box') < 0.06
               THEN CASE WHEN rnd($seed, home, 'letter') < 0.7 THEN 'A' ELSE 'B' END
               WHEN rnd($seed, home, 'box') < 0.20
               THEN CASE language WHEN 'nl' THEN ' bus ' WHEN 'fr' THEN ' bte ' ELSE '/' END
                    || CAST(1 + pick($seed, home, 'box_no', 12) AS VARCHAR)
               ELSE '' END AS house_number,
           postal_code,
           CASE language WHEN 'nl' THEN city_nl ELSE city_fr END AS city,
           CASE WHEN rnd($seed, i, 'upper_email')
                     < CASE role WHEN 'second_account' THEN 0.3 ELSE 0.04 END
                THEN upper(email) ELSE email END AS email,
           CASE role
               WHEN 'single' THEN family_birth
               WHEN 'second_account' THEN family_birth
               WHEN 'twin' THEN family_birth
               WHEN 'household' THEN CASE
                   WHEN family_birth + gap_days > DATE '2013-11-29'
                   THEN family_birth - abs(gap_days)
                   ELSE family_birth + gap_days END
           END AS date_of_birth,
           CASE WHEN rnd($seed, home, 'has_fixed') < 0.5
                THEN fixed_format(zone, CAST(2 * fixed_unit
                         + (line_no * $fixed_mult + pick($seed, 0, 'fixed_shift', fixed_unit))
                           % (8 * fixed_unit) AS VARCHAR),
                     pick($seed, i, 'fixed_style', 4))
           END AS fixed_phone,
           CASE WHEN has_mobile AND link <> 'email'
                THEN mobile_format($mobile_prefixes[1 + mobile_no // 1000000],
                                   lpad(CAST(mobile_no % 1000000 AS VARCHAR), 6, '0'),
                                   pick($seed, i, 'mobile_style', 5))
           END AS mobile_phone,
           language,
           CASE WHEN rnd($seed, i, 'brand') < 0.35 THEN 'nova-mobile' ELSE 'nova' END AS brand
    FROM (
        -- the street of the home, and which email the account shows: the person's, the
        -- household's shared one (40% of members), or the member's own
        SELECT *,
               streets[1 + pick($seed, home, 'street', len(streets))] AS street,
               CASE WHEN role = 'second_account' AND link = 'mobile' THEN NULL
                    WHEN role = 'second_account' THEN family_email
                    WHEN role = 'household' AND rnd($seed, i, 'shares_email') < 0.4
                    THEN family_email
                    WHEN role IN ('household', 'twin') THEN own_email
                    ELSE family_email END AS email
        FROM contacts
    )
)
SELECT printf('C%07d', i + 1) AS customer_id, first_name, last_name, street, house_number,
       postal_code, city, email, CAST(date_of_birth AS VARCHAR) AS date_of_birth,
       fixed_phone, mobile_phone, language, brand
FROM accounts
ORDER BY i
) TO $path (FORMAT csv, HEADER true, DELIMITER ',');
