-- What each action of the in-scope events displayed, the evidence of the statement check:
-- per action, the events (access-log rows) in scope, the bitmask of the declared fields any
-- of them displayed (the action map's, or those a row named in the fields column), and those
-- fields and their categories in declaration order. Actions with most events first.
-- Parameters: none
WITH actions AS (
    SELECT action, count(DISTINCT (source_file, source_row)) AS events, bit_or(mask) AS mask
    FROM events_in_scope
    GROUP BY action
)
SELECT
    a.action,
    a.events,
    a.mask,
    (SELECT coalesce(list(f.field ORDER BY f.bit), []) FROM fields AS f
        WHERE (a.mask & f.mask) <> 0) AS fields,
    (SELECT coalesce(list(c.category ORDER BY c.position), [])
        FROM (SELECT category, min(bit) AS position FROM fields
            WHERE (a.mask & mask) <> 0 GROUP BY category) AS c) AS categories
FROM actions AS a
ORDER BY a.events DESC, a.action;
