-- Accounts ranked by a robust outlier score against their peers: the accounts of the same
-- source (a reporting database's batch accounts are no peers of call-centre agents), and of
-- the same team when the source maps a team column. Each account's distinct customers per
-- active day, minus the peers' median, divided by 1.4826 times the peers' median absolute
-- deviation (MAD; 1.4826 makes it comparable to a standard deviation). A score above about
-- 3.5 is an outlier. NULL when the peers do not vary (MAD 0). Highest first. An actor name
-- in two sources is two accounts, ranked each among its own source's.
-- Parameters: none
WITH per_actor AS (
    SELECT
        source,
        actor,
        any_value(team) AS team,
        count(*) AS active_days,
        sum(events) AS events,
        bool_or(in_scope_actor) AS in_scope_actor
    FROM actor_days
    GROUP BY source, actor
),
reach AS (
    SELECT e.source, e.actor, count(DISTINCT s.match_key) AS customers
    FROM actor_events AS e
    JOIN access_log_status AS s USING (source_file, source_row)
    GROUP BY e.source, e.actor
),
rates AS (
    SELECT p.*, r.customers, r.customers / p.active_days AS customers_per_day
    FROM per_actor AS p
    JOIN reach AS r USING (source, actor)
),
peers AS (
    SELECT
        source,
        coalesce(team, '') AS peer_group,
        median(customers_per_day) AS peer_median,
        mad(customers_per_day) AS peer_mad
    FROM rates
    GROUP BY source, coalesce(team, '')
)
SELECT
    r.source,
    r.actor,
    r.team,
    r.active_days,
    r.events,
    r.customers,
    round(r.customers_per_day, 2) AS customers_per_day,
    round(p.peer_median, 2) AS peer_median,
    round(p.peer_mad, 2) AS peer_mad,
    round((r.customers_per_day - p.peer_median) / nullif(1.4826 * p.peer_mad, 0), 2)
        AS outlier_score,
    r.in_scope_actor
FROM rates AS r
JOIN peers AS p ON p.source = r.source AND p.peer_group = coalesce(r.team, '')
ORDER BY outlier_score DESC NULLS LAST, r.customers DESC, r.actor, r.source;
