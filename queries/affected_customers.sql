-- The affected customer records: one row per customer with at least one field exposed, with
-- the field mask exposed over all actors, first and last exposure, number of exposing events
-- and number of distinct actors (accounts: an actor of a source).
-- Parameters: none
CREATE OR REPLACE TABLE affected_customers AS
SELECT
    customer_key,
    bit_or(exposed_mask) AS exposed_mask,
    CASE WHEN getvariable('case_options').history THEN bit_or(changed_mask) ELSE 0 END
        AS changed_mask,
    min(first_exposure) AS first_exposure,
    max(last_exposure) AS last_exposure,
    sum(events) AS events,
    count(*) AS actors
FROM customer_actor_exposure
GROUP BY customer_key;
