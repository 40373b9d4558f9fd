-- The events table: one row per log line. Three kinds of rows, each keyed by a logical event
-- `key` (an export's rows share one) and placed on a (day kind, day, local hour) slot:
--   suspect: visits of two rows (search or detail, then detail, contact or billing), a few
--            seconds apart, walking a scrambled order of a target part of the customer base;
--   agents:  single rows on random customers in office hours, a few agents much busier;
--   exports: one row per exported customer, consecutive in the walk order.
-- A handful of visits/rows point at customer numbers beyond the table (unknown ids), every
-- stride-th one up to a count. The day counts come from day_counts.
-- Parameters: $seed, $outside, $suspect_rows, $suspect_ids, $suspect_stride, $suspect_unknown, $unknown_base, $target, $walk_mult, $walk_shift, $customers, $any_days_out, $any_days_in, $suspect_hours, $agent_rows, $agent_ids, $agent_stride, $agent_unknown, $work_days_out, $work_days_in, $office_hours
CREATE OR REPLACE TEMP TABLE events AS
WITH
suspect_visits AS (
    SELECT t AS key, t // 2 AS visit, t % 2 AS step,
           rnd($seed, t // 2, 'suspect_outside') < $outside AS outside
    FROM range($suspect_rows) AS r(t)
),
suspect AS (
    SELECT key, 0 AS seq,
           $suspect_ids[1 + pick($seed, visit, 'suspect_who', len($suspect_ids))] AS user_id,
           CASE WHEN step = 0 THEN
                    CASE WHEN rnd($seed, visit, 'suspect_open') < 0.3 THEN 'customer.search'
                         ELSE 'customer.detail' END
                WHEN rnd($seed, visit, 'suspect_next') < 0.5 THEN 'customer.detail'
                WHEN rnd($seed, visit, 'suspect_next') < 0.85 THEN 'customer.contact'
                ELSE 'billing.view' END AS screen,
           CASE WHEN visit % $suspect_stride = $suspect_stride - 1
                 AND visit // $suspect_stride < $suspect_unknown
                THEN $unknown_base + visit // $suspect_stride
                ELSE scramble(visit % $target, $walk_mult, $walk_shift, $customers)
           END AS customer_no,
           NOT outside AS inside, 'any' AS kind,
           pick($seed, visit, 'suspect_day',
                CASE WHEN outside THEN $any_days_out ELSE $any_days_in END) AS day_rank,
           $suspect_hours[1 + pick($seed, visit, 'suspect_hour', len($suspect_hours))] AS hour,
           pick($seed, visit, 'suspect_second', 3600)
               + step * (4 + pick($seed, visit, 'suspect_pause', 90)) AS second
    FROM suspect_visits
),
agent_rows AS (
    SELECT $suspect_rows + t AS key, t,
           rnd($seed, t, 'agent_outside') < $outside AS outside,
           rnd($seed, t, 'agent_screen') AS u
    FROM range($agent_rows) AS r(t)
),
agents AS (
    SELECT key, 0 AS seq,
           -- u ** 1.25 makes low-numbered agents busier (the first about 5% of agent rows)
           $agent_ids[1 + CAST(floor(len($agent_ids)
                                     * rnd($seed, t, 'agent_who') ** 1.25) AS BIGINT)]
               AS user_id,
           CASE WHEN u < 0.35 THEN 'customer.search' WHEN u < 0.65 THEN 'customer.detail'
                WHEN u < 0.75 THEN 'customer.contact' ELSE 'billing.view' END AS screen,
           CASE WHEN t % $agent_stride = $agent_stride - 1 AND t // $agent_stride < $agent_unknown
                THEN $unknown_base + $suspect_unknown + t // $agent_stride
                ELSE pick($seed, t, 'agent_customer', $customers)
           END AS customer_no,
           NOT outside AS inside, 'work' AS kind,
           pick($seed, t, 'agent_day',
                CASE WHEN outside THEN $work_days_out ELSE $work_days_in END) AS day_rank,
           $office_hours[1 + pick($seed, t, 'agent_hour', len($office_hours))] AS hour,
           pick($seed, t, 'agent_second', 3600) AS second
    FROM agent_rows
),
export_lines AS (
    SELECT $suspect_rows + $agent_rows + j AS key, j, by_suspect,
           rnd($seed, j, 'export_outside') < $outside AS outside,
           pick($seed, j, 'export_start', $customers) AS first_pos,
           unnest(range(size)) AS seq
    FROM exports
),
export_rows AS (
    SELECT key, seq,
           CASE WHEN by_suspect
                THEN $suspect_ids[1 + pick($seed, j, 'export_who', len($suspect_ids))]
                ELSE $agent_ids[1 + pick($seed, j, 'export_agent', len($agent_ids))]
           END AS user_id,
           'report.export' AS screen,
           scramble((first_pos + seq) % CASE WHEN by_suspect THEN $target ELSE $customers END,
                    $walk_mult, $walk_shift, $customers) AS customer_no,
           NOT outside AS inside,
           CASE WHEN by_suspect THEN 'any' ELSE 'work' END AS kind,
           pick($seed, j, 'export_day', CASE
               WHEN by_suspect AND outside THEN $any_days_out
               WHEN by_suspect THEN $any_days_in
               WHEN outside THEN $work_days_out
               ELSE $work_days_in END) AS day_rank,
           CASE WHEN by_suspect
                THEN $suspect_hours[1 + pick($seed, j, 'export_hour', len($suspect_hours))]
                ELSE $office_hours[1 + pick($seed, j, 'export_hour', len($office_hours))]
           END AS hour,
           pick($seed, j, 'export_second', 3600) AS second
    FROM export_lines
),
all_rows AS (
    SELECT * FROM suspect
    UNION ALL SELECT * FROM agents
    UNION ALL SELECT * FROM export_rows
)
SELECT r.key, CAST(r.seq AS INTEGER) AS seq, CAST(r.user_id AS actor_id) AS user_id,
       CAST(r.screen AS screen) AS screen, r.customer_no,
       s.hour_utc + to_seconds(r.second) AS instant
FROM all_rows AS r
JOIN day_slots AS s USING (inside, kind, day_rank, hour);
