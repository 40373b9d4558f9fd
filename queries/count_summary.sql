-- Headline numbers: customer records, access-log rows read (including rows that could not
-- be read at all), in scope, rejected, unmatched, affected customer records, and exposing
-- events.
-- Parameters: none
SELECT
    (SELECT count(*) FROM customers) AS customer_records,
    (SELECT coalesce(sum(rows + rejected_lines), 0) FROM input_files WHERE role = 'access_log')
        AS events_read,
    (SELECT count(*) FROM access_log_status WHERE status = 'in_scope') AS events_in_scope,
    (SELECT count(*) FROM access_log_status WHERE status = 'rejected')
        + (SELECT coalesce(sum(rejected_lines), 0) FROM input_files WHERE role = 'access_log')
        AS events_rejected,
    (SELECT count(*) FROM access_log_status WHERE status = 'unmatched') AS events_unmatched,
    (SELECT count(*) FROM affected_customers) AS affected_customer_records,
    (SELECT coalesce(sum(events), 0) FROM affected_customers) AS exposing_events;
