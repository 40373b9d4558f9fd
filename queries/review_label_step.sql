-- One step of connected components over the review queue: every person the queue touches
-- takes the smallest bound among itself and the persons queued with it. Repeated until no
-- bound changes. Returns the number of persons changed.
-- Parameters: none
UPDATE review_labels AS p
SET bound = n.bound
FROM (
    SELECT e.x AS label, min(l.bound) AS bound
    FROM (
        SELECT label_a AS x, label_b AS y FROM merge_review
        UNION ALL
        SELECT label_b, label_a FROM merge_review
    ) AS e
    JOIN review_labels AS l ON l.label = e.y
    GROUP BY e.x
) AS n
WHERE p.label = n.label AND n.bound < p.bound;
