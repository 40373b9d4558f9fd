-- The records an agent's look-up finds in an output set's index: the entries of one kind
-- and value (lookup_entries.parquet, sorted by them), and those records
-- (lookup_records.parquet), narrowed by the folded first name and the postal code when
-- given; sorted by person (affected first) and key. Each value is read from the one row
-- group its file's sort order leaves it in.
-- Parameters: $entries, $records, $kind, $value, $first_key, $postal_code
WITH hits AS (
    SELECT customer_key
    FROM read_parquet(CAST($entries AS VARCHAR))
    WHERE kind = CAST($kind AS VARCHAR) AND value = CAST($value AS VARCHAR)
)
SELECT r.*
FROM read_parquet(CAST($records AS VARCHAR)) AS r
WHERE r.customer_key IN (SELECT customer_key FROM hits)
  AND (CAST($first_key AS VARCHAR) IS NULL OR r.first_key = CAST($first_key AS VARCHAR))
  AND (CAST($postal_code AS VARCHAR) IS NULL OR r.postal_code = CAST($postal_code AS VARCHAR))
ORDER BY NOT r.affected, r.recipient_id, r.customer_key;
