-- The access-log lines whose bucket is not settled by the actor or the window (access_log's
-- counted_only is false: scope_status is NULL, 'rejected', 'no_record' or
-- 'out_of_scope_action'), kept in
-- a table: every number of the run is counted from here, and the lines out of scope by actor
-- or window are only ever counted (access_log_rows, event_counts). Each line gets the
-- customer's available fields and its bucket: the scope_status, else unmatched (the key is
-- not in the customer table), else in_scope. The key is matched on match_key and written as
-- the customer table wrote it when the table holds it, else as the log wrote it.
-- `log_source` is the number of the row's source (case_options.sources).
-- Parameters: none
CREATE OR REPLACE TABLE access_log_scoped AS
SELECT
    CAST(a.log_source AS UTINYINT) AS log_source,
    a.source_file,
    a.source_row,
    a.ts,
    a.actor,
    a.team,
    a.action,
    a.fields_text,
    a.refs,
    coalesce(c.customer_key, a.record_key) AS record_key,
    a.reject_reason,
    a.mask,
    c.available_mask,
    CASE
        WHEN a.scope_status IS NOT NULL THEN a.scope_status
        WHEN c.customer_key IS NULL THEN 'unmatched'
        ELSE 'in_scope'
    END AS status
FROM access_log AS a
LEFT JOIN customers AS c ON c.match_key = a.match_key
WHERE NOT a.counted_only;
