-- Per actor in scope: events (access-log rows) in scope, and the customer records that
-- actor exposed at least one field of. Every scoped actor appears, even with no event.
-- Parameters: none
WITH events AS (
    SELECT actor, count(*) AS events FROM scoped_rows WHERE status = 'in_scope' GROUP BY actor
),
customers_exposed AS (
    SELECT actor, count(*) AS customers FROM customer_actor_exposure GROUP BY actor
)
SELECT s.actor, coalesce(e.events, 0) AS events, coalesce(c.customers, 0) AS customers
FROM scope_actors AS s
LEFT JOIN events AS e USING (actor)
LEFT JOIN customers_exposed AS c USING (actor)
ORDER BY customers DESC, events DESC, s.actor;
