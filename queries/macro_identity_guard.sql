-- Defines identity_guard(l, r): why two records (rows of linkage_input) must not be merged
-- automatically, whatever their match probability, or NULL. These are the look-alikes a
-- linker left to itself merges: household members, spouses and flatmates sharing an email, a
-- fixed line or an address (`different first names`: both given, neither equal nor a typo of
-- the other, i.e. Damerau-Levenshtein distance above 1 and Jaro-Winkler similarity below
-- 0.9); parent and child of one name (`different birth dates`: both given and not a typo of
-- each other: one digit off, two neighbouring digits swapped, or day and month swapped; years
-- ten or more apart only with a shared mobile number, which a parent and child do not share,
-- where a family often shares its email); twins (`possible twins`: same last name, birth
-- date and address, first names not equal but each carried by another record of the table
-- too, so that neither is a typo, as François and Françoise, and no shared email or mobile);
-- homonyms and other strangers who share a name and birth date (`nothing shared`: neither an
-- email, nor a mobile number, nor an address, i.e. the same postal code and house number on a
-- street alike, Jaro-Winkler 0.7, as `R. de la Gare` and `Rue de la Gare`: a name and a birth
-- date alone identify nobody in a large table).
-- Parameters: none
CREATE OR REPLACE MACRO identity_guard(l, r) AS
    CASE
        WHEN l.first_key <> r.first_key
            AND damerau_levenshtein(l.first_key, r.first_key) > 1
            AND jaro_winkler_similarity(l.first_key, r.first_key) < 0.9
            THEN 'different first names'
        WHEN l.birth <> r.birth
            AND (
                (
                    abs(CAST(left(l.birth, 4) AS INTEGER) - CAST(left(r.birth, 4) AS INTEGER)) >= 10
                    AND NOT coalesce(l.mobile = r.mobile, false)
                )
                OR NOT (
                    hamming(l.birth, r.birth) = 1
                    OR damerau_levenshtein(l.birth, r.birth) = 1
                    OR (
                        left(l.birth, 4) = left(r.birth, 4)
                        AND substr(l.birth, 5, 2) = substr(r.birth, 7, 2)
                        AND substr(l.birth, 7, 2) = substr(r.birth, 5, 2)
                    )
                )
            )
            THEN 'different birth dates'
        WHEN l.last_key = r.last_key
            AND l.birth = r.birth
            AND l.address_key = r.address_key
            AND l.first_key <> r.first_key
            AND l.first_records > 1
            AND r.first_records > 1
            AND NOT coalesce(l.email = r.email, false)
            AND NOT coalesce(l.mobile = r.mobile, false)
            THEN 'possible twins'
        WHEN NOT coalesce(l.email = r.email, false)
            AND NOT coalesce(l.mobile = r.mobile, false)
            AND NOT coalesce(l.address_key = r.address_key, false)
            AND NOT coalesce(
                l.postal_code = r.postal_code
                    AND l.house_key = r.house_key
                    AND jaro_winkler_similarity(l.street_key, r.street_key) >= 0.7,
                false
            )
            THEN 'nothing shared'
    END;
