-- Every input row that could not be used, with its file, line (when known), row, column and
-- reason, never its values: CSV rows DuckDB could not read at all (from rejected_lines: too
-- many or too few columns, bad quoting or encoding; they have a line but no row), and staged
-- access-log rows marked by access_log_parsed.sql and kept in access_log_scoped (they have a
-- row; the staging step adds the line for CSV files). Sorted by file, then position.
-- `source` names an access-log file's source. Rows of the customers' history that cannot be
-- used (customer_versions) are listed too.
-- Parameters: none
SELECT i.path AS file, i.role, i.source, r.line, CAST(NULL AS BIGINT) AS row, r.column_name AS "column",
       r.reason
FROM rejected_lines AS r
JOIN input_files AS i USING (source_file)
UNION ALL
SELECT i.path, i.role, i.source, CAST(NULL AS BIGINT), a.source_row, c.column_name, a.reject_reason
FROM access_log_scoped AS a
JOIN input_files AS i USING (source_file)
LEFT JOIN log_columns AS c
    ON c.log_source = a.log_source AND c.part = split_part(a.reject_reason, ' ', 1)
WHERE a.reject_reason IS NOT NULL
UNION ALL
SELECT i.path, i.role, i.source, CAST(NULL AS BIGINT), v.source_row, NULL, v.reject_reason
FROM customer_versions AS v
JOIN input_files AS i USING (source_file)
WHERE v.reject_reason IS NOT NULL
ORDER BY file, coalesce(line, row), row;
