-- Per access-log file and bucket: the rows (events, see access_log_rows), the keys (one
-- per distinct customer key a row names; a row naming none has no key) and `repeated_keys`, the further mentions of a key
-- that a row had already named, in the bucket of the row (see access_log_parsed). Every
-- later count of rows by bucket reads this table, so the rows out of scope by actor or
-- window are read once, from access_log_parsed: their bucket does not depend on the action
-- map; when the variable rows_counted_only says that there are none, they are not read at
-- all. A bucket can have lines and no row: the keys not found of a row that is in scope
-- through its other keys are unmatched lines.
-- Parameters: none
CREATE OR REPLACE TABLE event_counts AS
WITH scoped AS (
    SELECT
        k.source_file,
        k.status,
        coalesce(r.events, 0) AS events,
        k.keys,
        coalesce(r.repeated_keys, 0) AS repeated_keys
    FROM (
        -- A row that names no key (no_record) keeps one line, which is no key.
        SELECT source_file, status, count(*) FILTER (WHERE refs > 0) AS keys
        FROM access_log_scoped
        GROUP BY ALL
    ) AS k
    LEFT JOIN (
        SELECT source_file, status, count(*) AS events, sum(repeated_keys) AS repeated_keys
        FROM scoped_rows
        GROUP BY ALL
    ) AS r ON r.source_file = k.source_file AND r.status = k.status
),
outside AS (
    SELECT
        source_file,
        window_status AS status,
        count(*) FILTER (WHERE key_no = 1) AS events,
        count(*) FILTER (WHERE refs > 0) AS keys,
        -- Every line of a row is in its bucket: the mentions less the keys are the repeats.
        sum(refs) FILTER (WHERE key_no = 1) - count(*) FILTER (WHERE refs > 0) AS repeated_keys
    FROM access_log_parsed
    -- A constant: with no row counted only, DuckDB plans no read of the logs here.
    WHERE counted_only AND coalesce(getvariable('rows_counted_only') <> 0, true)
    GROUP BY source_file, window_status
)
SELECT * FROM scoped
UNION ALL
SELECT * FROM outside;
