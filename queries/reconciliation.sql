-- The reconciliation: per input file, the rows read and the one bucket each landed in.
-- Customer files: used + rejected. Access-log files: rejected + out of scope (by reason) +
-- unmatched + in scope. `balanced` is true when the buckets add up to the rows read.
-- Parameters: none
WITH log AS (
    SELECT
        source_file,
        count(*) FILTER (WHERE status = 'rejected') AS rejected_values,
        count(*) FILTER (WHERE status = 'out_of_scope_actor') AS out_of_scope_actor,
        count(*) FILTER (WHERE status = 'out_of_scope_before_start') AS out_of_scope_before_start,
        count(*) FILTER (WHERE status = 'out_of_scope_after_end') AS out_of_scope_after_end,
        count(*) FILTER (WHERE status = 'out_of_scope_action') AS out_of_scope_action,
        count(*) FILTER (WHERE status = 'unmatched') AS unmatched,
        count(*) FILTER (WHERE status = 'in_scope') AS in_scope
    FROM access_log_status
    GROUP BY source_file
),
buckets AS (
    SELECT
        i.path AS file,
        i.role,
        i.rows + i.rejected_lines AS rows_read,
        i.rejected_lines + coalesce(l.rejected_values, 0) AS rejected,
        CASE WHEN i.role = 'customers' THEN i.rows ELSE 0 END AS used,
        coalesce(l.out_of_scope_actor, 0) AS out_of_scope_actor,
        coalesce(l.out_of_scope_before_start, 0) AS out_of_scope_before_start,
        coalesce(l.out_of_scope_after_end, 0) AS out_of_scope_after_end,
        coalesce(l.out_of_scope_action, 0) AS out_of_scope_action,
        coalesce(l.unmatched, 0) AS unmatched,
        coalesce(l.in_scope, 0) AS in_scope,
        i.source_file
    FROM input_files AS i
    LEFT JOIN log AS l USING (source_file)
)
SELECT
    file, role, rows_read, used, rejected, out_of_scope_actor, out_of_scope_before_start,
    out_of_scope_after_end, out_of_scope_action, unmatched, in_scope,
    rows_read = used + rejected + out_of_scope_actor + out_of_scope_before_start
        + out_of_scope_after_end + out_of_scope_action + unmatched + in_scope AS balanced
FROM buckets
ORDER BY source_file;
