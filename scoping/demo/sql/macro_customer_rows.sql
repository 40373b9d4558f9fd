-- Defines customer_rows(...): the customer accounts, one row per account number i, with
-- the columns of customers.csv and the truth about each (person_id, kind, related_id).
-- Each account i has a role; derived accounts (second account of a person, household member,
-- twin, and with `noisy` a namesake child or a homonym) copy parts of an earlier account `src`,
-- and only of a single one, so that copies never chain. Three keys then say where each value
-- comes from:
--   family: the names and birth date the account derives from (src, or i for a single),
--   person: the mobile and own email (src for a second account, else i),
--   home:   the address and fixed line (src for households, twins, namesakes and most second
--           accounts).
-- A key's place: x = scramble(key) picks a block (x // slots) and a slot within it, rotated per
-- block, so every (slot, block) pair belongs to one key: fixed lines built from it are unique
-- within a zone (for up to ~10M customers) while places look random along the file.
-- With `noisy` false the rows are the plain demo's (its bytes are pinned by tests). With it,
-- second accounts are more frequent (several per person at times) and typed again with noise
-- (names, birth date, street, house number, missing contact points), and the hard cases of
-- different people who look alike are added: namesakes (parent and child with the same name at
-- one address) and homonyms (same name, same town, elsewhere born and housed).
-- A table macro, so that customers.sql and truth.sql read the same rows, computed in place.
-- Parameters: none
CREATE OR REPLACE TEMP MACRO customer_rows(seed, customers, place_mult, place_shift, slots,
        domains, mobile_mult, mobile_shift, fixed_mult, mobile_prefixes, noisy) AS TABLE
WITH
roles AS (
    SELECT i, src,
           CASE WHEN i > 0 AND account_role(rnd(seed, src, 'role'), noisy) = 'single'
                THEN account_role(rnd(seed, i, 'role'), noisy) ELSE 'single' END AS role
    FROM (SELECT i, pick(seed, i, 'source', greatest(i, 1)) AS src
          FROM range(customers) AS t(i))
),
keys AS (
    SELECT i, src, role,
           CASE WHEN role = 'single' THEN i ELSE src END AS family,
           CASE WHEN role = 'second_account' THEN src ELSE i END AS person,
           CASE WHEN role IN ('household', 'twin', 'namesake')
                  OR (role = 'second_account' AND rnd(seed, i, 'same_home') < 0.8)
                THEN src ELSE i END AS home
    FROM roles
),
scrambled AS (
    SELECT *, scramble(home, place_mult, place_shift, customers) AS home_x,
              scramble(family, place_mult, place_shift, customers) AS family_x
    FROM keys
),
located AS (
    SELECT s.*, h.zone, h.zone_rank, h.zone_slots, f.region AS family_region,
           s.home_x // slots AS block,
           -- a homonym lives in the town of the account it shares its name with
           CASE WHEN s.role = 'homonym' THEN f.postal_code ELSE h.postal_code END AS postal_code,
           CASE WHEN s.role = 'homonym' THEN f.city_nl ELSE h.city_nl END AS city_nl,
           CASE WHEN s.role = 'homonym' THEN f.city_fr ELSE h.city_fr END AS city_fr,
           CASE WHEN s.role = 'homonym' THEN f.region ELSE h.region END AS home_region
    FROM scrambled AS s
    JOIN place_slots AS h
      ON h.slot = (s.home_x + pick(seed, s.home_x // slots, 'rotation', slots)) % slots
    JOIN place_slots AS f
      ON f.slot = (s.family_x + pick(seed, s.family_x // slots, 'rotation', slots)) % slots
),
-- Language follows the home; names follow the family's origin: its region's language, or
-- (15%, 30% in Brussels) the pool of names from elsewhere.
languages AS (
    SELECT *,
           region_language(home_region, rnd(seed, home, 'brussels_language')) AS language,
           CASE WHEN rnd(seed, family, 'elsewhere')
                     < CASE family_region WHEN 'BRU' THEN 0.3 ELSE 0.15 END THEN 'xx'
                ELSE region_language(family_region, rnd(seed, family, 'brussels_language'))
           END AS origin
    FROM located
),
-- With noise, twins are many enough for two of one family to draw one first name: there,
-- the n-th twin of a family takes the n-th name after one drawn for the family.
twin_ranks AS (
    SELECT i AS twin_i, row_number() OVER (PARTITION BY src ORDER BY i) AS twin_rank
    FROM roles
    WHERE noisy AND role = 'twin'
),
-- Household members and twins get a first name other than the family key's own.
named AS (
    SELECT l.*, s.streets,
           pick(seed, family, 'first', len(n.first_names)) AS family_first_no,
           n.first_names[1 + family_first_no] AS family_first,
           n.first_names[1 + (family_first_no + 1 + CASE
               WHEN r.twin_rank IS NULL THEN pick(seed, i, 'other_first', len(n.first_names) - 1)
               ELSE (pick(seed, family, 'twin_first', len(n.first_names) - 1) + r.twin_rank - 1)
                    % (len(n.first_names) - 1) END)
               % len(n.first_names)] AS other_first,
           n.last_names[1 + pick(seed, family, 'last', len(n.last_names))] AS family_last,
           n.last_names[1 + pick(seed, i, 'last', len(n.last_names))] AS own_last
    FROM languages AS l
    JOIN name_pools AS n ON n.origin = l.origin
    JOIN name_pools AS s ON s.origin = l.language
    LEFT JOIN twin_ranks AS r ON r.twin_i = l.i
),
people AS (
    SELECT *,
           CASE WHEN role IN ('household', 'twin') THEN other_first
                ELSE family_first END AS first_name,
           CASE WHEN role = 'household' AND rnd(seed, i, 'own_surname') < 0.4 THEN own_last
                ELSE family_last END AS last_name,
           birth_date(seed, family) AS family_birth,
           -- a household member is a partner (born up to 6 years apart) or a child (22-38
           -- years later; a namesake always); when that birth date would be after 2013-11-29 (too young to
           -- hold an account), the member is born that much earlier instead
           CAST(CASE WHEN role = 'namesake' OR rnd(seed, i, 'child') < 0.4
                     THEN 8036 + pick(seed, i, 'generation', 5844)
                     ELSE (1 + pick(seed, i, 'age_gap', 2190))
                          * (CASE WHEN rnd(seed, i, 'older') < 0.5 THEN -1 ELSE 1 END)
                END AS INTEGER) AS gap_days,
           rnd(seed, family, 'has_email') < 0.7 AS family_has_email,
           rnd(seed, i, 'has_email') < 0.7 AS own_has_email,
           rnd(seed, person, 'has_mobile') < 0.8 AS has_mobile,
           -- a second account keeps the email, the mobile or both of the person; with noise,
           -- or neither (the address alone links it)
           CASE WHEN noisy AND role = 'second_account' THEN CASE
                    WHEN rnd(seed, i, 'link') < 0.2 THEN 'mobile'
                    WHEN rnd(seed, i, 'link') < 0.4 THEN 'email'
                    WHEN rnd(seed, i, 'link') < 0.6 THEN 'address'
                    ELSE 'both' END
                WHEN role <> 'second_account' OR NOT family_has_email OR NOT has_mobile
                THEN 'both'
                WHEN rnd(seed, i, 'link') < 0.25 THEN 'mobile'
                WHEN rnd(seed, i, 'link') < 0.50 THEN 'email'
                ELSE 'both' END AS link
    FROM named
),
contacts AS (
    SELECT *,
           CASE WHEN family_has_email
                THEN email_address(family_first, family_last, family,
                                   pick(seed, family, 'email_style', 4),
                                   domains[1 + pick(seed, family, 'domain', len(domains))])
           END AS family_email,
           CASE WHEN own_has_email
                THEN email_address(first_name, last_name, i, pick(seed, i, 'email_style', 4),
                                   domains[1 + pick(seed, i, 'domain', len(domains))])
           END AS own_email,
           scramble(person, mobile_mult, mobile_shift, 25000000) AS mobile_no,
           -- subscriber digits start at 2: 7 of them after a one-digit zone (02), else 6
           CASE length(zone) WHEN 2 THEN 1000000 ELSE 100000 END AS fixed_unit,
           block * zone_slots + zone_rank AS line_no
    FROM people
),
-- The columns as written. A second account shows the person's names as typed again
-- (accents dropped, lower or upper case) and, more often, an email in capitals; with noise,
-- after a typo or a spelling heard the same in a name, a birth date one digit off, with two
-- digits or day and month swapped, an abbreviated street or another way to write the box.
accounts AS (
    SELECT i, person, role, src,
           CASE WHEN role <> 'second_account' THEN first_name
                WHEN rnd(seed, i, 'spelling') < 0.25 THEN strip_accents(first_name)
                WHEN rnd(seed, i, 'spelling') < 0.35 THEN lower(first_name)
                ELSE first_name END AS first_name,
           CASE WHEN role = 'second_account' AND rnd(seed, i, 'spelling') >= 0.75
                THEN upper(last_name) ELSE last_name END AS last_name,
           CASE WHEN retyped AND rnd(seed, i, 'street_noise') < 0.25
                THEN street_variant(street, pick(seed, i, 'street_rule', 1000))
                ELSE street END AS street,
           CASE WHEN retyped AND rnd(seed, i, 'house_noise') < 0.3
                THEN house_variant(house, pick(seed, i, 'house_style', 1000))
                ELSE house END AS house_number,
           postal_code,
           CASE language WHEN 'nl' THEN city_nl ELSE city_fr END AS city,
           CASE WHEN rnd(seed, i, 'upper_email')
                     < CASE role WHEN 'second_account' THEN 0.3 ELSE 0.04 END
                THEN upper(email) ELSE email END AS email,
           CASE role
               WHEN 'single' THEN family_birth
               WHEN 'second_account' THEN CASE
                   WHEN noisy AND rnd(seed, i, 'birth_noise') < 0.15
                   THEN date_variant(family_birth, pick(seed, i, 'birth_kind', 3),
                                     pick(seed, i, 'birth_digit', 1000))
                   ELSE family_birth END
               WHEN 'twin' THEN family_birth
               WHEN 'homonym' THEN birth_date(seed, i)
               ELSE CASE  -- a household member or a namesake
                   WHEN family_birth + gap_days > DATE '2013-11-29'
                   THEN family_birth - abs(gap_days)
                   ELSE family_birth + gap_days END
           END AS date_of_birth,
           -- a homonym's fixed line would belong to another zone than its town's: it has none
           CASE WHEN rnd(seed, home, 'has_fixed') < 0.5 AND role <> 'homonym'
                 AND NOT (retyped AND rnd(seed, i, 'fixed_missing') < 0.3)
                THEN fixed_format(zone, CAST(2 * fixed_unit
                         + (line_no * fixed_mult + pick(seed, 0, 'fixed_shift', fixed_unit))
                           % (8 * fixed_unit) AS VARCHAR),
                     pick(seed, i, 'fixed_style', 4))
           END AS fixed_phone,
           CASE WHEN has_mobile AND link NOT IN ('email', 'address')
                THEN mobile_format(mobile_prefixes[1 + mobile_no // 1000000],
                                   lpad(CAST(mobile_no % 1000000 AS VARCHAR), 6, '0'),
                                   pick(seed, i, 'mobile_style', 5))
           END AS mobile_phone,
           language,
           CASE WHEN rnd(seed, i, 'brand') < 0.35 THEN 'nova-mobile' ELSE 'nova' END AS brand
    FROM (
        -- the street and house number of the home, and which email the account shows: the
        -- person's, the household's shared one (40% of members and namesakes), or the
        -- member's own
        SELECT *,
               streets[1 + pick(seed, home, 'street', len(streets))] AS street,
               CAST(1 + pick(seed, home, 'house', 160) AS VARCHAR) || CASE
                   WHEN rnd(seed, home, 'box') < 0.06
                   THEN CASE WHEN rnd(seed, home, 'letter') < 0.7 THEN 'A' ELSE 'B' END
                   WHEN rnd(seed, home, 'box') < 0.20
                   THEN CASE language WHEN 'nl' THEN ' bus ' WHEN 'fr' THEN ' bte ' ELSE '/' END
                        || CAST(1 + pick(seed, home, 'box_no', 12) AS VARCHAR)
                   ELSE '' END AS house,
               CASE WHEN role = 'second_account' AND link IN ('mobile', 'address') THEN NULL
                    WHEN role = 'second_account' THEN family_email
                    WHEN role IN ('household', 'namesake')
                         AND rnd(seed, i, 'shares_email') < 0.4
                    THEN family_email
                    WHEN role IN ('household', 'twin', 'namesake', 'homonym') THEN own_email
                    ELSE family_email END AS email,
               noisy AND role = 'second_account' AS retyped
        FROM (
            -- the names as typed again: a typo or a spelling heard the same (second accounts)
            SELECT * REPLACE (
                       CASE WHEN noisy AND role = 'second_account'
                                 AND rnd(seed, i, 'first_noise') < 0.25
                            THEN name_variant(first_name, pick(seed, i, 'first_kind', 4),
                                              pick(seed, i, 'first_at', 1000))
                            ELSE first_name END AS first_name,
                       CASE WHEN noisy AND role = 'second_account'
                                 AND rnd(seed, i, 'last_noise') < 0.25
                            THEN name_variant(last_name, pick(seed, i, 'last_kind', 4),
                                              pick(seed, i, 'last_at', 1000))
                            ELSE last_name END AS last_name)
            FROM contacts
        )
    )
)
SELECT i, printf('C%07d', i + 1) AS customer_id, first_name, last_name, street, house_number,
       postal_code, city, email, CAST(date_of_birth AS VARCHAR) AS date_of_birth,
       fixed_phone, mobile_phone, language, brand,
       -- the truth: the person, and which look-alike of another account this one is
       printf('P%07d', person + 1) AS person_id,
       CASE role WHEN 'twin' THEN 'twin' WHEN 'namesake' THEN 'parent_child'
                 WHEN 'homonym' THEN 'homonym' WHEN 'household' THEN 'household'
                 WHEN 'second_account' THEN 'duplicate' ELSE '' END AS kind,
       CASE WHEN role <> 'single' THEN printf('C%07d', src + 1) END AS related_id
FROM accounts
