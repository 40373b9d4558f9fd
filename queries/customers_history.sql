-- The customer table when the case gives the customers' history: the records of today (as
-- customers.sql has them, `deleted_since` false), and the customers that only the history
-- knows, deleted since: each one's last usable version (latest valid_from), with its key as
-- the history wrote it, `deleted_since` true, so that their events are matched, exposed and
-- their last known contact points reach the recipient lists. Replaces the view customers.
-- Parameters: none
CREATE OR REPLACE VIEW customers AS
SELECT
    * REPLACE (clean_text(customer_key) AS customer_key),
    normalize_key(clean_text(customer_key)) AS match_key,
    false AS deleted_since
FROM staged_customers
UNION ALL BY NAME
SELECT
    * EXCLUDE (valid_from, valid_to, valid_until, reject_reason, changed_mask, last),
    true AS deleted_since
FROM (
    SELECT
        *,
        row_number() OVER (
            PARTITION BY match_key ORDER BY valid_from DESC, source_file DESC, source_row DESC
        ) AS last
    FROM customer_versions AS v
    WHERE reject_reason IS NULL
        AND NOT EXISTS (
            SELECT 1 FROM staged_customers AS s
            WHERE normalize_key(clean_text(s.customer_key)) = v.match_key
        )
)
WHERE last = 1;
