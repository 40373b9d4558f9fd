-- The candidate pairs of probabilistic linkage at or above the review threshold: the two
-- records (a < b), the match probability the model gives them rounded to three decimals (the
-- figure every decision and file uses, so that runs agree to the byte), the evidence per
-- comparison (identity_evidence) and what keeps them apart whatever the probability
-- (identity_guard, NULL when nothing does). linkage_predictions is splink's output, one row
-- per pair its blocking rules compared.
-- Parameters: $review
INSERT INTO linkage_pairs
SELECT
    least(p.customer_key_l, p.customer_key_r) AS a,
    greatest(p.customer_key_l, p.customer_key_r) AS b,
    round(p.match_probability, 3) AS probability,
    identity_evidence(l, r) AS evidence,
    identity_guard(l, r) AS guard
FROM linkage_predictions AS p
JOIN linkage_input AS l ON l.customer_key = p.customer_key_l
JOIN linkage_input AS r ON r.customer_key = p.customer_key_r
WHERE round(p.match_probability, 3) >= $review
  AND p.customer_key_l <> p.customer_key_r;
