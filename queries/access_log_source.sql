-- Defines access_log_source(n, o), a table macro: the staged rows of the n-th access-log
-- source, whose settings `o` are case_options.sources[n] (its files, time zone, timestamp
-- formats and record list), each row with its source's number (`log_source`), its text
-- through clean_text (actor, action, the fields it says it displayed, the actor's team when
-- the case maps them; the record column as written, `record_raw`, is cleaned by
-- access_log_parsed, on the lines a step keeps) and its instant: `ts`, as the file typed it,
-- else parse_instant in the log's time zone; NULL when the text is not understood, and for
-- a typed timestamp that is infinite (Parquet can hold `infinity`): no point in time.
-- `no_time` marks a row without a timestamp at all. `record_list` and `record_separator`
-- are the source's record-list settings, the same on every row of it.
-- This is where the engine's own rules are applied (formats, zones, the DST rule): the
-- steps after it (access_log_parsed onwards) see only UTC instants, text and keys, and run
-- on DuckDB or Spark alike. access_log_timed is the union of every source's rows, made when
-- the case is read (one `SELECT * FROM access_log_source(n,
-- getvariable('case_options').sources[n])` per source, n a literal), so that a source's
-- settings are constants, as strptime needs.
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
        *,
        coalesce(
            ts_typed,
            parse_instant(
                ts_text,
                o['log_timezone'],
                o['naive_formats'],
                o['aware_formats']
            )
        ) AS instant
    FROM cleaned
)
SELECT
    CAST(n AS INTEGER) AS log_source,
    source_file,
    source_row,
    CASE WHEN isfinite(instant) THEN instant END AS ts,
    ts_text IS NULL AND ts_typed IS NULL AS no_time,
    actor,
    action,
    fields_text,
    team,
    record_raw,
    CAST(o['record_list'] AS VARCHAR) AS record_list,
    CAST(o['record_separator'] AS VARCHAR) AS record_separator
FROM parsed;
