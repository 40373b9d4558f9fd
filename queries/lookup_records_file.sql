-- The rows of lookup_records.parquet: every record of lookup_records but its key as matched
-- (lookup_entries.parquet holds it), sorted by key (as written, unique), so that the records
-- a look-up finds are read from their row groups only.
-- Parameters: none
SELECT * EXCLUDE (match_key) FROM lookup_records ORDER BY customer_key;
