-- The automatic probabilistic links held back by the chain guard, with the reason: persons
-- are connected components, so links that are each sound can chain records that are not one
-- person. Every probabilistic link of a would-be person (person_labels over person_links,
-- automatic links included) is held back when that person would hold more than $max_records
-- records, or two records that a guard (identity_guard) or a reviewer's `different` keeps
-- apart (pairs a reviewer decided `same` excepted). `nothing shared` is no such guard here: it
-- is a lack of evidence between two records, which the chain joining them supplies. Rule and
-- decision links are never held.
-- Parameters: $max_records
INSERT INTO linkage_held
WITH probable AS (
    SELECT k.a, k.b, l.label
    FROM person_links AS k
    JOIN person_labels AS l ON l.customer_key = k.a
    WHERE k.kind = 'probabilistic'
),
members AS (
    SELECT l.label, l.customer_key
    FROM person_labels AS l
    WHERE l.label IN (SELECT label FROM probable)
),
sizes AS (
    SELECT label, count(*) AS records FROM members GROUP BY label
),
pairs AS (
    SELECT m.label, identity_guard(x, y) AS guard, d.decision
    FROM members AS m
    JOIN members AS n ON n.label = m.label AND m.customer_key < n.customer_key
    JOIN sizes AS s ON s.label = m.label AND s.records <= $max_records
    JOIN linkage_input AS x ON x.customer_key = m.customer_key
    JOIN linkage_input AS y ON y.customer_key = n.customer_key
    LEFT JOIN identity_decisions AS d
        ON d.latest AND least(d.a, d.b) = m.customer_key AND greatest(d.a, d.b) = n.customer_key
),
apart AS (
    SELECT
        label,
        min(CASE WHEN decision = 'different' THEN 'decided different' ELSE guard END) AS reason
    FROM pairs
    WHERE (decision = 'different' OR guard <> 'nothing shared')
      AND decision IS DISTINCT FROM 'same'
    GROUP BY label
),
held AS (
    SELECT label, 'a person of ' || records || ' records' AS reason
    FROM sizes WHERE records > $max_records
    UNION ALL
    SELECT label, 'chain joins records kept apart (' || reason || ')' FROM apart
)
SELECT p.a, p.b, h.reason
FROM probable AS p
JOIN held AS h USING (label);
