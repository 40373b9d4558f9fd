-- The reconciliation summary of an output set, read back from its reconciliation.csv: per
-- role (customers, access_log), the files and the rows read, rejected, out of scope (by actor,
-- before the start, after the end, or by action), naming no customer, unmatched and in
-- scope, and whether every file's buckets add up.
-- Parameters: $path
SELECT
    role,
    count(*) AS files,
    sum(rows_read) AS rows_read,
    sum(coalesce(rejected, 0)) AS rejected,
    sum(
        coalesce(out_of_scope_actor, 0) + coalesce(out_of_scope_before_start, 0)
        + coalesce(out_of_scope_after_end, 0) + coalesce(out_of_scope_action, 0)
    ) AS out_of_scope,
    sum(coalesce(no_record, 0)) AS no_record,
    sum(coalesce(unmatched, 0)) AS unmatched,
    sum(coalesce(in_scope, 0)) AS in_scope,
    bool_and(balanced) AS balanced
FROM read_csv($path, header = true, delim = ',', quote = '"')
GROUP BY role
ORDER BY role DESC;
