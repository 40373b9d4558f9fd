-- The persons the review queue touches (their labels in merge_review), each with `bound`, the
-- smallest label of the persons the queue would join it to, and whether it is affected.
-- review_label_step lowers `bound` until the queue's components each share one: the person
-- count if every queued pair were one person (count_recipients).
-- Parameters: none
CREATE OR REPLACE TABLE review_labels AS
SELECT label, label AS bound, bool_or(affected) AS affected
FROM (
    SELECT label_a AS label, affected_a AS affected FROM merge_review
    UNION ALL
    SELECT label_b, affected_b FROM merge_review
)
GROUP BY label;
