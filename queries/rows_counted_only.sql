-- Sets the variable rows_counted_only: how many of the access logs' rows have no line in
-- access_log_scoped, those the scope's actors or window leave out (event_counts counts them
-- by bucket by reading the logs again). The logs' rows are those staged (input_files), the
-- rows in play those of scoped_rows. When it is 0 (every actor in scope and no window, the
-- case of a compromised integration account), event_counts skips that second read; when it
-- is not set (a step that runs elsewhere), the rows are counted.
-- Parameters: none
SET VARIABLE rows_counted_only = (
    SELECT (SELECT coalesce(sum(rows), 0) FROM input_files WHERE role = 'access_log')
        - (SELECT count(*) FROM scoped_rows)
);
