-- Defines identity_evidence(l, r): what two records (rows of linkage_input) have in common,
-- per comparison, in words and measures, never their values: `first_name: same`,
-- `last_name: jaro-winkler 0.93`, `birth_date: one digit off` (or `two digits swapped`, `day
-- and month swapped`, `different`), `address: same postal code, street 0.88, same house
-- number`, `email: same`, `mobile: different`; `missing` when either record lacks it.
-- Parameters: none
CREATE OR REPLACE MACRO identity_evidence(l, r) AS
    concat_ws(
        '; ',
        'first_name: ' || CASE
            WHEN l.first_key IS NULL OR r.first_key IS NULL THEN 'missing'
            WHEN l.first_key = r.first_key THEN 'same'
            ELSE 'jaro-winkler ' || printf('%.2f', jaro_winkler_similarity(l.first_key, r.first_key))
        END,
        'last_name: ' || CASE
            WHEN l.last_key IS NULL OR r.last_key IS NULL THEN 'missing'
            WHEN l.last_key = r.last_key THEN 'same'
            ELSE 'jaro-winkler ' || printf('%.2f', jaro_winkler_similarity(l.last_key, r.last_key))
        END,
        'birth_date: ' || CASE
            WHEN l.birth IS NULL OR r.birth IS NULL THEN 'missing'
            WHEN l.birth = r.birth THEN 'same'
            WHEN hamming(l.birth, r.birth) = 1 THEN 'one digit off'
            WHEN damerau_levenshtein(l.birth, r.birth) = 1 THEN 'two digits swapped'
            WHEN left(l.birth, 4) = left(r.birth, 4)
                AND substr(l.birth, 5, 2) = substr(r.birth, 7, 2)
                AND substr(l.birth, 7, 2) = substr(r.birth, 5, 2)
                THEN 'day and month swapped'
            ELSE 'different'
        END,
        'address: ' || CASE
            WHEN l.address_key IS NULL OR r.address_key IS NULL THEN 'missing'
            WHEN l.address_key = r.address_key THEN 'same'
            ELSE concat_ws(
                ', ',
                CASE WHEN l.postal_code = r.postal_code THEN 'same postal code'
                    ELSE 'other postal code' END,
                'street ' || printf('%.2f', jaro_winkler_similarity(l.street_key, r.street_key)),
                CASE WHEN l.house_key = r.house_key THEN 'same house number'
                    WHEN l.house_key <> r.house_key THEN 'other house number' END
            )
        END,
        'email: ' || CASE
            WHEN l.email IS NULL OR r.email IS NULL THEN 'missing'
            WHEN l.email = r.email THEN 'same'
            ELSE 'different'
        END,
        'mobile: ' || CASE
            WHEN l.mobile IS NULL OR r.mobile IS NULL THEN 'missing'
            WHEN l.mobile = r.mobile THEN 'same'
            ELSE 'different'
        END
    );
