-- What each actor exposed of each customer: for every (customer, actor of a source: an
-- account; the same name in two sources is two accounts), the fields exposed
-- (bit_or of the event's displayed fields AND the customer's available fields), first and
-- last exposure and the number of events. Only events that exposed at least one available
-- field count. `changed_mask`: the exposed fields whose value then differs from today's.
-- Parameters: none
CREATE OR REPLACE TABLE customer_actor_exposure AS
SELECT
    record_key AS customer_key,
    log_source,
    actor,
    bit_or(mask & available_mask) AS exposed_mask,
    -- Without a history no value changed: the constant spares the aggregate.
    CASE
        WHEN getvariable('case_options').history
            THEN bit_or(mask & available_mask & changed_mask)
        ELSE 0
    END AS changed_mask,
    min(ts) AS first_exposure,
    max(ts) AS last_exposure,
    count(*) AS events
FROM events_in_scope
WHERE (mask & available_mask) <> 0
GROUP BY record_key, log_source, actor;
