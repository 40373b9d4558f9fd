-- Writes truth.csv to $path: for each account of customer_rows, in customer number order, the
-- true person (person_id: accounts of one person share it), the kind of look-alike it is
-- (duplicate: another account of the person; twin, parent_child, homonym, household: another
-- person resembling the account related_id), and that related account.
-- Parameters: $seed, $customers, $place_mult, $place_shift, $slots, $domains, $mobile_mult, $mobile_shift, $fixed_mult, $mobile_prefixes, $noisy, $path
COPY (
SELECT customer_id, person_id, kind, related_id
FROM customer_rows($seed, $customers, $place_mult, $place_shift, $slots, $domains,
                   $mobile_mult, $mobile_shift, $fixed_mult, $mobile_prefixes, $noisy)
ORDER BY i
) TO $path (FORMAT csv, HEADER true, DELIMITER ',');
