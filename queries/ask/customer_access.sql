-- Who consulted one customer (to answer a data subject): per actor, the events, first and
-- last time (UTC), the fields shown that the customer had, and whether any of those events
-- was in scope. The key goes through the same rule as the extracts' keys.
-- Parameters: $customer
SELECT
    actor,
    count(*) AS events,
    format_utc(min(ts)) AS first_utc,
    format_utc(max(ts)) AS last_utc,
    mask_fields(bit_or(coalesce(mask, 0) & available_mask)) AS fields_shown,
    bool_or(status = 'in_scope') AS in_scope
FROM access_log_status
WHERE match_key = normalize_key(clean_text($customer)) AND status <> 'rejected'
GROUP BY actor
ORDER BY min(ts), actor;
