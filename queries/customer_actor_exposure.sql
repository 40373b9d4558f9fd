-- What each actor exposed of each customer: for every (customer, actor), the fields exposed
-- (bit_or of action mask AND the customer's available mask), first and last exposure and the
-- number of events. Only events that exposed at least one available field count.
-- Parameters: none
CREATE OR REPLACE TABLE customer_actor_exposure AS
SELECT
    c.customer_key,
    e.actor,
    bit_or(m.mask & c.available_mask) AS exposed_mask,
    min(e.ts) AS first_exposure,
    max(e.ts) AS last_exposure,
    count(*) AS events
FROM events_in_scope AS e
JOIN action_map AS m ON m.action = e.action
JOIN customers AS c ON c.customer_key = e.record_key
WHERE (m.mask & c.available_mask) <> 0
GROUP BY c.customer_key, e.actor;
