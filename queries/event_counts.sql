-- Per access-log file and bucket: the rows (events, see access_log_rows) and the lines (one
-- per customer key named). Every later count of rows by bucket reads this table, so the
-- rows out of scope by actor or window are read once, from access_log_parsed: their bucket
-- does not depend on the action map. A bucket can have lines and no row:
-- the keys not found of a row that is in scope through its other keys are unmatched lines.
-- Parameters: none
CREATE OR REPLACE TABLE event_counts AS
WITH scoped AS (
    SELECT
        k.source_file,
        k.status,
        coalesce(r.events, 0) AS events,
        k.keys
    FROM (
        SELECT source_file, status, count(*) AS keys FROM access_log_scoped GROUP BY ALL
    ) AS k
    LEFT JOIN (
        SELECT source_file, status, count(*) AS events FROM scoped_rows GROUP BY ALL
    ) AS r ON r.source_file = k.source_file AND r.status = k.status
),
outside AS (
    SELECT
        source_file,
        window_status AS status,
        count(*) FILTER (WHERE key_no = 1) AS events,
        count(*) AS keys
    FROM access_log_parsed
    WHERE counted_only
    GROUP BY source_file, window_status
)
SELECT * FROM scoped
UNION ALL
SELECT * FROM outside;
