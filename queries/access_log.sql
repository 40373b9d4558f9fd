-- Every staged access-log row, parsed, one line per customer key it names (a report export
-- names many): its instant (as the file typed it, else parse_instant in the log's time zone), actor, action, the fields
-- it says it displayed and the actor's team when the case maps them (clean_text), the key
-- (normalize_key; record_keys when the case says a cell lists several) and `refs`, how many
-- keys the row named. A row that cannot be used keeps one line with reject_reason set
-- (missing or unparseable timestamp, missing actor, a record list that is not understood, no
-- record, no action and no fields); otherwise reject_reason is NULL.
-- Parameters: none
CREATE OR REPLACE TABLE access_log AS
WITH cleaned AS (
    SELECT
        source_file,
        source_row,
        clean_text(ts_text) AS ts_text,
        ts_typed,
        clean_text(actor) AS actor,
        clean_text(record_key) AS record_text,
        clean_text(action) AS action,
        clean_text(fields_text) AS fields_text,
        clean_text(team) AS team
    FROM staged_access_log
),
parsed AS (
    SELECT
        * EXCLUDE (ts_typed),
        coalesce(
            ts_typed,
            parse_instant(
                ts_text,
                (SELECT log_timezone FROM scope_window),
                getvariable('case_options').naive_formats,
                getvariable('case_options').aware_formats
            )
        ) AS ts,
        ts_text IS NULL AND ts_typed IS NULL AS no_time
    FROM cleaned
),
single AS (
    -- One key per row: no list is built.
    SELECT
        * EXCLUDE (record_text),
        normalize_key(record_text) AS record_key,
        CASE WHEN record_text IS NULL THEN 0 ELSE 1 END AS refs,
        false AS bad_list
    FROM parsed
    WHERE getvariable('case_options').record_list IS NULL
),
listed AS (
    SELECT
        * EXCLUDE (record_text, keys),
        unnest(CASE WHEN len(keys) > 0 THEN keys ELSE [NULL] END) AS record_key,
        coalesce(len(keys), 0) AS refs,
        record_text IS NOT NULL AND keys IS NULL AS bad_list
    FROM (SELECT *, record_keys(record_text) AS keys FROM parsed)
    WHERE getvariable('case_options').record_list IS NOT NULL
),
lines AS (
    SELECT * FROM single
    UNION ALL BY NAME
    SELECT * FROM listed
)
SELECT
    source_file,
    source_row,
    ts,
    actor,
    team,
    action,
    fields_text,
    refs,
    record_key,
    CASE
        WHEN no_time THEN 'timestamp missing'
        WHEN ts IS NULL THEN 'timestamp not understood'
        WHEN actor IS NULL THEN 'actor missing'
        WHEN bad_list THEN 'record list not understood'
        WHEN refs = 0 THEN 'record missing'
        WHEN action IS NULL AND fields_text IS NULL THEN 'action missing'
    END AS reject_reason
FROM lines;
