-- Per actor in scope and source: events (access-log rows) in scope, and the customer records
-- that actor exposed at least one field of, through that source. The scope is one list of
-- accounts: the same person's accounts in two systems are two rows, each under its own id
-- and source. Every scoped actor appears: one with no event in scope in any source once,
-- with no source and zero counts. The events are summed from in_scope_days.
-- Parameters: none
WITH events AS (
    SELECT log_source, actor, CAST(sum(events) AS BIGINT) AS events
    FROM in_scope_days
    GROUP BY log_source, actor
),
customers_exposed AS (
    SELECT log_source, actor, count(*) AS customers
    FROM customer_actor_exposure
    GROUP BY log_source, actor
),
accounts AS (
    SELECT log_source, actor FROM events
    UNION
    SELECT log_source, actor FROM customers_exposed
)
SELECT
    getvariable('case_options').sources[a.log_source].name AS source,
    s.actor,
    coalesce(e.events, 0) AS events,
    coalesce(c.customers, 0) AS customers
FROM scope_actors AS s
LEFT JOIN accounts AS a USING (actor)
LEFT JOIN events AS e ON e.log_source = a.log_source AND e.actor = s.actor
LEFT JOIN customers_exposed AS c ON c.log_source = a.log_source AND c.actor = s.actor
ORDER BY customers DESC, events DESC, s.actor, a.log_source;
