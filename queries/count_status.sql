-- Access-log rows per input file and bucket (see access_log_status): the reconciliation.
-- For every file, the rows over all buckets add up to the rows read from it.
-- Parameters: none
SELECT i.path AS file, s.status, count(*) AS events
FROM access_log_status AS s
JOIN input_files AS i ON i.source_file = s.source_file
GROUP BY i.path, s.status
ORDER BY i.path, s.status;
