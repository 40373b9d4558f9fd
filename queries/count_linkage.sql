-- What probabilistic linkage did, for the manifest: the pairs at or above the review
-- threshold, those kept apart by each guard, the automatic links made, and those the chain
-- guard held back (linkage_held).
-- Parameters: none
SELECT
    (SELECT count(*) FROM linkage_pairs) AS pairs_at_review,
    (SELECT count(*) FROM linkage_pairs WHERE guard = 'different first names')
        AS guard_different_first_names,
    (SELECT count(*) FROM linkage_pairs WHERE guard = 'different birth dates')
        AS guard_different_birth_dates,
    (SELECT count(*) FROM linkage_pairs WHERE guard = 'possible twins') AS guard_possible_twins,
    (SELECT count(*) FROM linkage_pairs WHERE guard = 'nothing shared') AS guard_nothing_shared,
    (SELECT count(*) FROM person_links WHERE kind = 'probabilistic') AS links_automatic,
    (SELECT count(*) FROM linkage_held) AS links_held;
