-- The review queue: every pair of linkage_pairs (at or above the review threshold) whose two
-- records are not one person after the automatic links, that no reviewer decided about, and
-- of which at least one record belongs to an affected person; with why it was not merged
-- (`held_back`: `guard: ...` for a guard, `held: ...` for the chain guard, else `below
-- auto_merge`), the evidence, and the two persons' labels (for the person-count bounds).
-- Whether a person is affected is looked up for the persons of the open pairs only: with the
-- rule (no scored pair) the queue is empty, and nothing else is read.
-- Parameters: none
CREATE OR REPLACE TABLE merge_review AS
WITH open AS (
    SELECT p.*, la.label AS label_a, lb.label AS label_b
    FROM linkage_pairs AS p
    JOIN person_labels AS la ON la.customer_key = p.a
    JOIN person_labels AS lb ON lb.customer_key = p.b
    WHERE la.label <> lb.label
      AND NOT EXISTS (
          SELECT 1 FROM identity_decisions AS d
          WHERE d.latest AND least(d.a, d.b) = p.a AND greatest(d.a, d.b) = p.b
      )
),
affected AS (
    SELECT DISTINCT l.label
    FROM person_labels AS l
    JOIN recipient_contacts AS c USING (customer_key)
    WHERE c.affected
      AND l.label IN (SELECT label_a FROM open UNION ALL SELECT label_b FROM open)
)
SELECT
    o.a,
    o.b,
    o.probability,
    CASE
        WHEN o.guard IS NOT NULL THEN 'guard: ' || o.guard
        WHEN h.reason IS NOT NULL THEN 'held: ' || h.reason
        ELSE 'below auto_merge'
    END AS held_back,
    o.evidence,
    o.label_a,
    o.label_b,
    o.label_a IN (SELECT label FROM affected) AS affected_a,
    o.label_b IN (SELECT label FROM affected) AS affected_b
FROM open AS o
LEFT JOIN linkage_held AS h USING (a, b)
WHERE o.label_a IN (SELECT label FROM affected) OR o.label_b IN (SELECT label FROM affected);
