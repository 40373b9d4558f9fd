-- The rows of lookup_entries.parquet: every entry of lookup_entries, sorted by kind, value
-- and key, so that a look-up reads the one row group that can hold its value.
-- Parameters: none
SELECT kind, value, customer_key FROM lookup_entries ORDER BY kind, value, customer_key;
