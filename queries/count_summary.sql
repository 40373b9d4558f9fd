-- Headline numbers: customer records; access-log rows (events) read, including rows that
-- could not be read at all; events in scope, rejected, naming no customer (`events_no_record`)
-- and unmatched; customer keys named by in-scope events that are not in the customer table;
-- affected customer records; the events in scope that exposed at least one available field of
-- a customer (`events_exposing`); and the (customer record, event) pairs in which the event
-- exposed at least one of that customer's available fields (`customer_event_pairs_exposing`:
-- the sum of `events` over the affected customer records; an export naming many customers is
-- one event and many pairs).
-- Parameters: none
WITH rows AS (
    SELECT
        coalesce(sum(events), 0) AS staged,
        coalesce(sum(events) FILTER (WHERE status = 'in_scope'), 0) AS in_scope,
        coalesce(sum(events) FILTER (WHERE status = 'rejected'), 0) AS rejected,
        coalesce(sum(events) FILTER (WHERE status = 'no_record'), 0) AS no_record,
        coalesce(sum(events) FILTER (WHERE status = 'unmatched'), 0) AS unmatched,
        coalesce(sum(keys) FILTER (WHERE status = 'unmatched'), 0) AS keys_unmatched
    FROM event_counts
),
unreadable AS (
    SELECT coalesce(sum(rejected_lines), 0) AS n FROM input_files WHERE role = 'access_log'
)
SELECT
    (SELECT count(*) FROM customers) AS customer_records,
    rows.staged + unreadable.n AS events_read,
    rows.in_scope AS events_in_scope,
    rows.rejected + unreadable.n AS events_rejected,
    rows.no_record AS events_no_record,
    rows.unmatched AS events_unmatched,
    rows.keys_unmatched,
    (SELECT count(*) FROM affected_customers) AS affected_customer_records,
    (
        -- A row naming one key is one line: only the lines of rows naming several are
        -- counted as distinct rows.
        SELECT count(*) FROM events_in_scope WHERE refs <= 1 AND (mask & available_mask) <> 0
    ) + (
        SELECT count(DISTINCT (source_file, source_row))
        FROM events_in_scope
        WHERE refs > 1 AND (mask & available_mask) <> 0
    ) AS events_exposing,
    (SELECT coalesce(sum(events), 0) FROM affected_customers) AS customer_event_pairs_exposing
FROM rows, unreadable;
