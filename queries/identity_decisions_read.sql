-- The reviewers' decisions file ([recipients.identity] decisions): one row per line with a
-- decision, in file order (`line`: the line number, the header being line 1), its two keys as
-- written, the decision (`same`, `different`, or what else the line says, folded to lower
-- case; a blank decision is a pair not yet decided and is left out), who and when, and each
-- key resolved to a record of the customer table (`a`, `b`: its key as the table writes it,
-- NULL when no record has it; keys are compared by the key rule, normalize_key, after removing
-- the apostrophe a spreadsheet-safe file puts before some keys). Any other column of the file
-- (a copied merge_review.csv) is ignored. Either CSV dialect is read. `latest`: the line is
-- the last about its pair of records (a later line overrides an earlier one).
-- Parameters: $path
INSERT INTO identity_decisions
WITH lines AS (
    SELECT
        row_number() OVER () + 1 AS line,
        clean_text(ltrim(key_a, '''')) AS key_a,
        clean_text(ltrim(key_b, '''')) AS key_b,
        lower(clean_text(decision)) AS decision,
        clean_text(who) AS who,
        clean_text("when") AS "when"
    FROM read_csv($path, all_varchar = true, header = true)
),
keys AS (
    SELECT match_key, min(customer_key) AS customer_key FROM customers GROUP BY match_key
)
SELECT
    l.line,
    l.key_a,
    l.key_b,
    l.decision,
    l.who,
    l."when",
    ka.customer_key AS a,
    kb.customer_key AS b,
    ka.customer_key IS NOT NULL
        AND kb.customer_key IS NOT NULL
        AND l.line = max(l.line) OVER (
            PARTITION BY least(ka.customer_key, kb.customer_key),
                greatest(ka.customer_key, kb.customer_key)
        ) AS latest
FROM lines AS l
LEFT JOIN keys AS ka ON ka.match_key = normalize_key(l.key_a)
LEFT JOIN keys AS kb ON kb.match_key = normalize_key(l.key_b)
WHERE l.decision IS NOT NULL;
