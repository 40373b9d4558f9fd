-- The reconciliation: per input file, the rows read and the one bucket each landed in.
-- Customer files, and the files of the customers' history: used + rejected. Access-log
-- files (rows are events, see access_log_rows;
-- counted in event_counts): rejected + out of scope (by actor or window) + no_record (the row
-- names no customer key: never a rejected row) + out of scope by action + unmatched + in scope.
-- `balanced` is true when the buckets add up to the rows read. For access logs, also the
-- customer keys named by in-scope and unmatched events: found in the customer table, or not,
-- each counted once per event; and the further mentions of a key that the same event had
-- already named (`C1;C1` names C1 once and repeats it once), which expose nothing more.
-- `source` names an access-log file's source (empty for the customer table's files).
-- Parameters: none
WITH log AS (
    SELECT
        source_file,
        sum(events) FILTER (WHERE status = 'rejected') AS rejected_values,
        sum(events) FILTER (WHERE status = 'out_of_scope_actor') AS out_of_scope_actor,
        sum(events) FILTER (WHERE status = 'out_of_scope_before_start') AS out_of_scope_before_start,
        sum(events) FILTER (WHERE status = 'out_of_scope_after_end') AS out_of_scope_after_end,
        sum(events) FILTER (WHERE status = 'no_record') AS no_record,
        sum(events) FILTER (WHERE status = 'out_of_scope_action') AS out_of_scope_action,
        sum(events) FILTER (WHERE status = 'unmatched') AS unmatched,
        sum(events) FILTER (WHERE status = 'in_scope') AS in_scope,
        sum(keys) FILTER (WHERE status = 'in_scope') AS keys_found,
        sum(keys) FILTER (WHERE status = 'unmatched') AS keys_not_found,
        sum(repeated_keys) FILTER (WHERE status IN ('in_scope', 'unmatched')) AS keys_repeated
    FROM event_counts
    GROUP BY source_file
),
history AS (
    SELECT source_file, count(*) FILTER (WHERE reject_reason IS NOT NULL) AS rejected_values
    FROM customer_versions
    GROUP BY source_file
),
buckets AS (
    SELECT
        i.source_file,
        i.path AS file,
        i.role,
        i.source,
        i.rows + i.rejected_lines AS rows_read,
        CASE
            WHEN i.role = 'customers' THEN i.rows
            WHEN i.role = 'customer_history' THEN i.rows - coalesce(h.rejected_values, 0)
            ELSE 0
        END AS used,
        i.rejected_lines + coalesce(l.rejected_values, 0) + coalesce(h.rejected_values, 0)
            AS rejected,
        coalesce(l.out_of_scope_actor, 0) AS out_of_scope_actor,
        coalesce(l.out_of_scope_before_start, 0) AS out_of_scope_before_start,
        coalesce(l.out_of_scope_after_end, 0) AS out_of_scope_after_end,
        coalesce(l.no_record, 0) AS no_record,
        coalesce(l.out_of_scope_action, 0) AS out_of_scope_action,
        coalesce(l.unmatched, 0) AS unmatched,
        coalesce(l.in_scope, 0) AS in_scope,
        coalesce(l.keys_found, 0) AS keys_found,
        coalesce(l.keys_not_found, 0) AS keys_not_found,
        coalesce(l.keys_repeated, 0) AS keys_repeated
    FROM input_files AS i
    LEFT JOIN log AS l USING (source_file)
    LEFT JOIN history AS h USING (source_file)
)
SELECT
    file, role, source, rows_read, used, rejected, out_of_scope_actor, out_of_scope_before_start,
    out_of_scope_after_end, no_record, out_of_scope_action, unmatched, in_scope,
    rows_read = used + rejected + out_of_scope_actor + out_of_scope_before_start
        + out_of_scope_after_end + no_record + out_of_scope_action + unmatched + in_scope
        AS balanced,
    keys_found, keys_not_found, keys_repeated
FROM buckets
ORDER BY source_file;
