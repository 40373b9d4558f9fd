-- The customers one actor consulted (every usable event, in scope or not): per customer
-- record, the events, first and last time (UTC), the fields shown that the customer had,
-- and whether any of those events was in scope.
-- Parameters: $actor
SELECT
    record_key AS customer_key,
    count(*) AS events,
    format_utc(min(ts)) AS first_utc,
    format_utc(max(ts)) AS last_utc,
    mask_fields(bit_or(coalesce(mask, 0) & available_mask)) AS fields_shown,
    bool_or(status = 'in_scope') AS in_scope
FROM access_log_status
WHERE actor = clean_text($actor) AND available_mask IS NOT NULL AND status <> 'rejected'
GROUP BY record_key
ORDER BY record_key;
