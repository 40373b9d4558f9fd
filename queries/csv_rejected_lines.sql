-- The CSV rows DuckDB could not read, one per row, from its reject table (csv_reject_errors,
-- filled by read_csv(..., store_rejects = true) for one file at a time). DuckDB records one
-- error per extra or missing column, so a row with three columns too many has three errors
-- on one line: they are grouped by line, so that the row is counted, listed and held against
-- max_rejected once. `column_name`: the columns the errors name, in the file's order (NULL
-- when they name none, as for extra columns); `reason`: the distinct error types, in the
-- order of the first column each concerns. Never the line's values (csv_line).
-- Parameters: none
WITH reasons AS (
    SELECT line, error_type, min(column_idx) AS column_idx
    FROM csv_reject_errors
    GROUP BY line, error_type
),
columns AS (
    SELECT line, column_name, min(column_idx) AS column_idx
    FROM csv_reject_errors
    WHERE column_name IS NOT NULL
    GROUP BY line, column_name
)
SELECT r.line, c.column_name, r.reason
FROM (
    SELECT line, string_agg(error_type, '; ' ORDER BY column_idx, error_type) AS reason
    FROM reasons
    GROUP BY line
) AS r
LEFT JOIN (
    SELECT line, string_agg(column_name, ', ' ORDER BY column_idx, column_name) AS column_name
    FROM columns
    GROUP BY line
) AS c USING (line)
ORDER BY r.line;
