-- One line per access-log row (an event) of access_log_scoped, whatever the number of keys
-- it names: its actor, instant and bucket, and `repeated_keys`, the mentions of a key that
-- the row had already named (its refs less its lines: a row's lines are its distinct keys).
-- A row naming several keys is in_scope when at least one of them is found in the customer
-- table, unmatched when none is; its other buckets are the same for all its keys.
-- `log_source` is the number of the row's source.
-- Parameters: none
CREATE OR REPLACE VIEW scoped_rows AS
SELECT log_source, source_file, source_row, actor, ts, status, 0 AS repeated_keys
FROM access_log_scoped
WHERE refs <= 1
UNION ALL
SELECT
    any_value(log_source),
    source_file,
    source_row,
    any_value(actor),
    any_value(ts),
    CASE WHEN bool_or(status = 'in_scope') THEN 'in_scope' ELSE min(status) END,
    any_value(refs) - count(*)
FROM access_log_scoped
WHERE refs > 1
GROUP BY source_file, source_row;
