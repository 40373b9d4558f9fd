-- Every access-log line (one per distinct customer key a row names) with the fields its event
-- displayed (`mask`: from the fields the row names, else from its action), the customer's
-- available fields, and the one bucket it falls in, tested in this order: rejected; out of
-- scope because of the actor, because it is before the start or at/after the end of the
-- window; no_record (the row names no customer key); out of scope because its action is not
-- in the action map; unmatched (the key is not in the
-- customer table); in_scope. The lines of access_log_scoped, and the lines out of scope by
-- actor or window, read from access_log when a query asks for them. `record_key` is written
-- as the customer table wrote it when the table holds the key, else as the log wrote it;
-- `match_key` is the key as compared (normalize_key), for counting distinct customers;
-- `source` names the row's access-log source (`log_source` its number).
-- Parameters: none
CREATE OR REPLACE VIEW access_log_status AS
SELECT
    log_source, getvariable('case_options').sources[log_source].name AS source,
    source_file, source_row, ts, actor, team, action, refs, record_key,
    normalize_key(record_key) AS match_key, mask, available_mask, status
FROM access_log_scoped
UNION ALL
SELECT
    a.log_source, getvariable('case_options').sources[a.log_source].name,
    a.source_file, a.source_row, a.ts, a.actor, a.team, a.action, a.refs,
    coalesce(c.customer_key, a.record_key), a.match_key, a.mask, c.available_mask,
    a.scope_status
FROM access_log AS a
LEFT JOIN customers AS c ON c.match_key = a.match_key
WHERE a.counted_only;
