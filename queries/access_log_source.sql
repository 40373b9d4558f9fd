-- Defines access_log_source(n, o), a table macro: the staged rows of the n-th access-log
-- source, whose settings `o` are case_options.sources[n] (its files, time zone, timestamp
-- formats and record list), each line with its source's number (`log_source`).
-- access_log_parsed is the union of every source's lines, made when the case is read (one
-- `SELECT * FROM access_log_source(n, getvariable('case_options').sources[n])` per source,
-- n a literal), so that a source's settings are constants, as strptime needs.
-- Every staged access-log row, parsed, one line per distinct customer key it names (a report
-- export names many): its instant (as the file typed it, else parse_instant in the log's time
-- zone), actor, action, the fields it says it displayed and the actor's team when the case
-- maps them (clean_text), the key as the log wrote it (`record_key`, through clean_text;
-- record_keys when the source says a cell lists several), the key as it is compared
-- (`match_key`, through normalize_key), and `refs`, how many keys the row named, counting
-- every mention (`key_no` numbers its lines). A key the row names again (`C1;C1`, `C1; C1`,
-- `042;42` once normalised) is no second line, so that one event is never counted twice for
-- one customer; its record_key is the row's first spelling of it. A row's repeated
-- mentions are its refs less its lines (scoped_rows, event_counts). A row that cannot be
-- used keeps one line with reject_reason set (missing or unparseable timestamp, missing
-- actor, a record list that is not understood, no action and no fields); otherwise
-- reject_reason is NULL. A row that names no customer key (a blank record column: a home
-- page, a list view) is no broken row: it keeps one line with refs = 0 and is counted in
-- the bucket no_record. A typed timestamp that is infinite (Parquet can hold
-- `infinity`) is no point in time: not understood, as a text that does not parse.
-- `window_status` is the part of the bucket that the row alone decides, tested in this
-- order: rejected; out of scope because of the actor, or because it is before the start or
-- at/after the end of the window; no_record (the row names no customer key, so its action
-- is never needed); NULL when the action and the key are left to test (access_log). `counted_only` marks the lines out of scope by actor or window: they are
-- only ever counted (event_counts) or read for investigators, never kept. It makes the same
-- tests as booleans, against the window as constants (scope_bounds), so that the steps'
-- filter on it is cheap and comes before a row's single key is cleaned and normalised
-- (record_key and match_key are computed last, on the lines a step keeps).
-- Nothing here is joined to the action map or the field labels, so that a step which only
-- counts the lines out of scope (event_counts, access_log_rows) parses no more than it uses.
-- A macro under a view: the staged rows are parsed by each step that reads it, and kept by
-- none.
-- Parameters: none
CREATE OR REPLACE MACRO access_log_source(n, o) AS TABLE
WITH cleaned AS (
    SELECT
        source_file,
        source_row,
        clean_text(ts_text) AS ts_text,
        ts_typed,
        clean_text(actor) AS actor,
        record_key AS record_raw,
        clean_text(action) AS action,
        clean_text(fields_text) AS fields_text,
        clean_text(team) AS team
    FROM staged_access_log
    WHERE source_file BETWEEN o['first_file']
        AND o['last_file']
),
parsed AS (
    SELECT
        * EXCLUDE (ts_typed),
        coalesce(
            ts_typed,
            parse_instant(
                ts_text,
                o['log_timezone'],
                o['naive_formats'],
                o['aware_formats']
            )
        ) AS ts,
        ts_text IS NULL AND ts_typed IS NULL AS no_time
    FROM cleaned
),
single AS (
    -- One key per row: no list is built, and the key is cleaned last (record_key below),
    -- on the lines a step keeps; here it is only tested for text.
    SELECT
        *,
        CAST(NULL AS VARCHAR) AS record_key,
        CAST(NULL AS VARCHAR) AS match_key,
        CASE WHEN has_text(record_raw) THEN 1 ELSE 0 END AS refs,
        1 AS key_no,
        false AS bad_list
    FROM parsed
    WHERE o['record_list'] IS NULL
),
listed AS (
    -- `written` holds every mention as the log wrote it, `named` the same keys normalised:
    -- a distinct key's record_key is its first mention's spelling.
    SELECT
        * EXCLUDE (written, named, match_key),
        written[list_position(named, match_key)] AS record_key,
        match_key
    FROM (
        SELECT
            * EXCLUDE (record_text, keys),
            unnest(CASE WHEN len(keys) > 0 THEN keys ELSE [NULL] END) AS match_key,
            generate_subscripts(CASE WHEN len(keys) > 0 THEN keys ELSE [NULL] END, 1) AS key_no,
            coalesce(len(named), 0) AS refs,
            record_text IS NOT NULL AND named IS NULL AS bad_list
        FROM (
            SELECT *, list_distinct(named) AS keys
            FROM (
                SELECT *, list_transform(written, lambda k: normalize_key(k)) AS named
                FROM (
                    SELECT
                        *,
                        record_keys(
                            record_text,
                            o['record_list'],
                            o['record_separator']
                        ) AS written
                    FROM (
                        SELECT * EXCLUDE (record_raw), clean_text(record_raw) AS record_text
                        FROM parsed
                        WHERE o['record_list'] IS NOT NULL
                    )
                )
            )
        )
    )
),
lines AS (
    SELECT * FROM single
    UNION ALL BY NAME
    SELECT * FROM listed
),
classified AS (
    SELECT
        source_file,
        source_row,
        ts,
        actor,
        team,
        action,
        fields_text,
        refs,
        key_no,
        record_key,
        match_key,
        record_raw,
        CASE
            WHEN no_time THEN 'timestamp missing'
            WHEN ts IS NULL OR NOT isfinite(ts) THEN 'timestamp not understood'
            WHEN actor IS NULL THEN 'actor missing'
            WHEN bad_list THEN 'record list not understood'
            WHEN action IS NULL AND fields_text IS NULL THEN 'action missing'
        END AS reject_reason
    FROM lines
),
tested AS (
    SELECT *, actor IN (SELECT actor FROM scope_actors) AS actor_in_scope FROM classified
)
SELECT
    CAST(n AS INTEGER) AS log_source,
    * EXCLUDE (record_key, match_key, record_raw, reject_reason, actor_in_scope),
    CASE
        WHEN o['record_list'] IS NULL THEN clean_text(record_raw)
        ELSE record_key
    END AS record_key,
    CASE
        WHEN o['record_list'] IS NULL
            THEN normalize_key(clean_text(record_raw))
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
FROM tested;
