-- Access-log rows (events) per input file and bucket (see access_log_rows and event_counts).
-- For every file, the rows over all buckets add up to the rows read from it, with the rows
-- that could not be read at all counted as rejected. `source` names the file's source.
-- Parameters: none
WITH buckets AS (
    SELECT source_file, status, events
    FROM event_counts
    WHERE events > 0
    UNION ALL
    SELECT source_file, 'rejected', rejected_lines
    FROM input_files
    WHERE role = 'access_log' AND rejected_lines > 0
)
SELECT i.source, i.path AS file, b.status, sum(b.events) AS events
FROM buckets AS b
JOIN input_files AS i USING (source_file)
GROUP BY i.source, i.path, b.status
ORDER BY i.path, b.status;
