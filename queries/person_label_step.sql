-- One step of connected components over person_links: every record takes the smallest label
-- among itself and the records it is linked to. Repeated until no label changes, which
-- leaves one label per component (a person). Returns the number of records changed.
-- Parameters: none
UPDATE person_labels AS p
SET label = n.label
FROM (
    SELECT e.a AS customer_key, min(l.label) AS label
    FROM (
        SELECT a, b FROM person_links
        UNION ALL
        SELECT b, a FROM person_links
    ) AS e
    JOIN person_labels AS l ON l.customer_key = e.b
    GROUP BY e.a
) AS n
WHERE p.customer_key = n.customer_key AND n.label < p.label;
