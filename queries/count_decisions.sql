-- What became of the reviewers' decisions, for the manifest: the lines holding a decision,
-- those naming a key that no customer record has (reported, never applied), those applied
-- (the latest about their pair; `same` and `different`), those a later line overrode, and
-- the `different` decisions whose records other links still join into one person.
-- Parameters: none
SELECT
    count(*) AS lines,
    count(*) FILTER (WHERE a IS NULL OR b IS NULL) AS unknown_keys,
    count(*) FILTER (WHERE latest AND decision = 'same') AS applied_same,
    count(*) FILTER (WHERE latest AND decision = 'different') AS applied_different,
    count(*) FILTER (WHERE a IS NOT NULL AND b IS NOT NULL AND NOT latest) AS overridden,
    count(*) FILTER (
        WHERE latest AND decision = 'different' AND EXISTS (
            SELECT 1 FROM person_labels AS x
            JOIN person_labels AS y ON y.label = x.label
            WHERE x.customer_key = d.a AND y.customer_key = d.b
        )
    ) AS different_still_joined
FROM identity_decisions AS d;
