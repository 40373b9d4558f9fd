-- Every staged access-log row, parsed, one row per customer key it names (a report export
-- names many): its instant (parse_instant in the log's time zone), actor, action and the
-- fields it says it displayed and the actor's team when the case maps them (clean_text), the key (normalize_key, via record_keys) and
-- `refs`, how many keys the row named. A row that cannot be used keeps one line with
-- reject_reason set (missing or unparseable timestamp, missing actor, a record list that is
-- not understood, no record, no action and no fields); otherwise reject_reason is NULL.
-- Parameters: none
CREATE OR REPLACE TABLE access_log AS
WITH cleaned AS (
    SELECT
        source_file,
        source_row,
        clean_text(ts_text) AS ts_text,
        clean_text(actor) AS actor,
        record_keys(record_key) AS record_keys,
        clean_text(action) AS action,
        clean_text(fields_text) AS fields_text,
        clean_text(team) AS team
    FROM staged_access_log
),
parsed AS (
    SELECT
        *,
        parse_instant(
            ts_text,
            (SELECT log_timezone FROM scope_window),
            getvariable('case_options').naive_formats,
            getvariable('case_options').aware_formats
        ) AS ts
    FROM cleaned
),
classified AS (
    SELECT
        *,
        CASE
            WHEN ts_text IS NULL THEN 'timestamp missing'
            WHEN ts IS NULL THEN 'timestamp not understood'
            WHEN actor IS NULL THEN 'actor missing'
            WHEN record_keys IS NULL THEN 'record list not understood'
            WHEN len(record_keys) = 0 THEN 'record missing'
            WHEN action IS NULL AND fields_text IS NULL THEN 'action missing'
        END AS reject_reason
    FROM parsed
)
SELECT
    source_file,
    source_row,
    ts,
    actor,
    team,
    action,
    fields_text,
    coalesce(len(record_keys), 0) AS refs,
    unnest(CASE WHEN len(record_keys) > 0 THEN record_keys ELSE [NULL] END) AS record_key,
    reject_reason
FROM classified;
