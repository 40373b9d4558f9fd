-- The events in scope as events_in_scope.sql has them, when the case gives the customers'
-- history: `available_mask` is then the customer's available fields *at the event's instant*
-- (the version of customer_versions valid then: valid_from inclusive, valid_to exclusive),
-- and `changed_mask` the fields whose value then differs from today's. An instant that no
-- version covers (before the first, in a gap, or a customer without history) keeps today's
-- fields and no change. Replaces the view events_in_scope.
-- Parameters: none
CREATE OR REPLACE VIEW events_in_scope AS
SELECT
    a.log_source,
    getvariable('case_options').sources[a.log_source].name AS source,
    a.source_file,
    a.source_row,
    a.ts,
    a.actor,
    a.action,
    a.record_key,
    a.refs,
    a.mask,
    coalesce(v.available_mask, a.available_mask) AS available_mask,
    coalesce(v.changed_mask, 0) AS changed_mask
FROM access_log_scoped AS a
LEFT JOIN customer_versions AS v
    ON v.customer_key = a.record_key
    AND v.reject_reason IS NULL
    AND a.ts >= v.valid_from
    AND (v.valid_until IS NULL OR a.ts < v.valid_until)
WHERE a.status = 'in_scope';
