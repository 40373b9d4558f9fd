-- Every staged access-log row (access_log_timed: its instant in UTC, its text cleaned, see
-- access_log_source), one line per distinct customer key it names (a report export names
-- many): its instant, actor, action, the fields it says it displayed and the actor's team,
-- the key as the log wrote it (`record_key`, through clean_text; record_keys when the source
-- says a cell lists several), the key as it is compared (`match_key`, through
-- normalize_key), and `refs`, how many keys the row named, counting every mention (`key_no`
-- numbers its lines). A key the row names again (`C1;C1`, `C1; C1`, `042;42` once
-- normalised) is no second line, so that one event is never counted twice for one
-- customer; its record_key is the row's first spelling of it. A row's repeated mentions are
-- its refs less its lines (scoped_rows, event_counts). A row that cannot be used keeps one
-- line with reject_reason set (missing or unparseable timestamp, missing actor, a record
-- list that is not understood, no action and no fields); otherwise reject_reason is NULL. A
-- row that names no customer key (a blank record column: a home page, a list view) is no
-- broken row: it keeps one line with refs = 0 and is counted in the bucket no_record.
-- `window_status` is the part of the bucket that the row alone decides, tested in this
-- order: rejected; out of scope because of the actor, or because it is before the start or
-- at/after the end of the window; no_record (the row names no customer key, so its action
-- is never needed); NULL when the action and the key are left to test (access_log).
-- `counted_only` marks the lines out of scope by actor or window: they are only ever
-- counted (event_counts) or read for investigators, never kept. It makes the same tests as
-- booleans, against the window as constants (scope_bounds), so that the steps' filter on it
-- is cheap and comes before a row's single key is cleaned and normalised (record_key and
-- match_key are computed last, on the lines a step keeps).
-- Nothing here is joined to the action map or the field labels, so that a step which only
-- counts the lines out of scope (event_counts, access_log_rows) parses no more than it uses.
-- This step and the ones after it up to affected_customers run on DuckDB or on Spark
-- (scoping/spark.py), from this same text: tests/test_spark_sql.py lists what they may use.
-- A view: the staged rows are parsed by each step that reads it, and kept by none.
-- Parameters: none
CREATE OR REPLACE VIEW access_log_parsed AS
WITH single AS (
    -- One key per row: no list is built, and the key is cleaned last (record_key below),
    -- on the lines a step keeps; here it is only tested for text.
    SELECT
        log_source,
        source_file,
        source_row,
        ts,
        no_time,
        actor,
        team,
        action,
        fields_text,
        record_raw,
        record_list,
        CAST(NULL AS VARCHAR) AS record_key,
        CAST(NULL AS VARCHAR) AS match_key,
        CASE WHEN has_text(record_raw) THEN 1 ELSE 0 END AS refs,
        1 AS key_no,
        false AS bad_list
    FROM access_log_timed
    WHERE record_list IS NULL
),
written AS (
    -- `written` holds every mention as the log wrote it, `named` the same keys normalised,
    -- `keys` the distinct ones: a distinct key's record_key is its first mention's spelling.
    SELECT
        *,
        list_distinct(named) AS keys,
        coalesce(array_length(named), 0) AS refs,
        record_text IS NOT NULL AND named IS NULL AS bad_list
    FROM (
        SELECT *, list_transform(mentions, lambda k: normalize_key(k)) AS named
        FROM (
            SELECT *, record_keys(record_text, record_list, record_separator) AS mentions
            FROM (
                SELECT *, clean_text(record_raw) AS record_text
                FROM access_log_timed
                WHERE record_list IS NOT NULL
            )
        )
    )
),
numbered AS (
    -- One line per distinct key, numbered from 1; a row without a key keeps one line.
    SELECT
        *,
        unnest(generate_series(1, greatest(coalesce(array_length(keys), 0), 1))) AS key_no
    FROM written
),
listed AS (
    SELECT
        log_source,
        source_file,
        source_row,
        ts,
        no_time,
        actor,
        team,
        action,
        fields_text,
        record_raw,
        record_list,
        CASE WHEN keys[key_no] IS NOT NULL THEN mentions[list_position(named, keys[key_no])] END
            AS record_key,
        keys[key_no] AS match_key,
        refs,
        key_no,
        bad_list
    FROM numbered
),
lines AS (
    SELECT * FROM single
    UNION ALL
    SELECT * FROM listed
),
classified AS (
    SELECT
        *,
        CASE
            WHEN no_time THEN 'timestamp missing'
            WHEN ts IS NULL THEN 'timestamp not understood'
            WHEN actor IS NULL THEN 'actor missing'
            WHEN bad_list THEN 'record list not understood'
            WHEN action IS NULL AND fields_text IS NULL THEN 'action missing'
        END AS reject_reason,
        actor IN (SELECT actor FROM scope_actors) AS actor_in_scope
    FROM lines
)
SELECT
    log_source,
    source_file,
    source_row,
    ts,
    actor,
    team,
    action,
    fields_text,
    refs,
    key_no,
    CASE WHEN record_list IS NULL THEN clean_text(record_raw) ELSE record_key END AS record_key,
    CASE
        WHEN record_list IS NULL THEN normalize_key(clean_text(record_raw))
        ELSE match_key
    END AS match_key,
    reject_reason,
    CASE
        WHEN reject_reason IS NOT NULL THEN 'rejected'
        WHEN NOT actor_in_scope THEN 'out_of_scope_actor'
        WHEN ts < getvariable('scope_bounds').start_utc THEN 'out_of_scope_before_start'
        WHEN ts >= getvariable('scope_bounds').end_utc THEN 'out_of_scope_after_end'
        WHEN refs = 0 THEN 'no_record'
    END AS window_status,
    -- The same tests as booleans: the filter of every step that reads this view.
    reject_reason IS NULL AND coalesce(
        NOT actor_in_scope
        OR ts < getvariable('scope_bounds').start_utc
        OR ts >= getvariable('scope_bounds').end_utc,
        false
    ) AS counted_only
FROM classified;
