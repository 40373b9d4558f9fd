-- Every staged access-log row, parsed: its instant (parse_instant in the log's time zone), the
-- actor, the consulted record key and the action, each cleaned by clean_text. A row that
-- cannot be used carries reject_reason (missing or unparseable timestamp, missing actor,
-- record or action); every other row has reject_reason NULL.
-- Parameters: none
CREATE OR REPLACE TABLE access_log AS
WITH cleaned AS (
    SELECT
        source_file,
        source_row,
        clean_text(ts_text) AS ts_text,
        clean_text(actor) AS actor,
        clean_text(record_key) AS record_key,
        clean_text(action) AS action
    FROM staged_access_log
),
parsed AS (
    SELECT
        *,
        parse_instant(
            ts_text,
            (SELECT log_timezone FROM scope_window),
            getvariable('timestamp_formats').naive,
            getvariable('timestamp_formats').aware
        ) AS ts
    FROM cleaned
)
SELECT
    source_file,
    source_row,
    ts,
    actor,
    record_key,
    action,
    CASE
        WHEN ts_text IS NULL THEN 'timestamp missing'
        WHEN ts IS NULL THEN 'timestamp not understood'
        WHEN actor IS NULL THEN 'actor missing'
        WHEN record_key IS NULL THEN 'record missing'
        WHEN action IS NULL THEN 'action missing'
    END AS reject_reason
FROM parsed;
