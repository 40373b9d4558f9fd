-- merge_review.csv: the review queue, most probable first (then by keys): the match
-- probability (three decimals), both keys as the customer table writes them, why the pair was
-- not merged, the evidence per comparison (never the values), and empty `decision`, `who` and
-- `when` columns for the reviewer: the file, with the decided rows filled in, is a decisions
-- file for the next run.
-- Parameters: none
SELECT
    printf('%.3f', probability) AS probability,
    csv_safe(a) AS key_a,
    csv_safe(b) AS key_b,
    held_back,
    evidence,
    CAST(NULL AS VARCHAR) AS decision,
    CAST(NULL AS VARCHAR) AS who,
    CAST(NULL AS VARCHAR) AS "when"
FROM merge_review
ORDER BY probability DESC, a, b;
