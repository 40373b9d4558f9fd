-- Every access-log row with the one bucket it falls in, tested in this order:
-- rejected; out of scope because of its actor, because it is before the start or at/after the
-- end of the window, or because its action is not in the action map; unmatched (in scope but
-- the record key is not in the customer table); in_scope.
-- Parameters: none
CREATE OR REPLACE VIEW access_log_status AS
SELECT
    a.*,
    CASE
        WHEN a.reject_reason IS NOT NULL THEN 'rejected'
        WHEN a.actor NOT IN (SELECT actor FROM scope_actors) THEN 'out_of_scope_actor'
        WHEN a.ts < (SELECT start_utc FROM scope_window) THEN 'out_of_scope_before_start'
        WHEN a.ts >= (SELECT end_utc FROM scope_window) THEN 'out_of_scope_after_end'
        WHEN a.action NOT IN (SELECT action FROM action_map) THEN 'out_of_scope_action'
        WHEN a.record_key NOT IN (SELECT customer_key FROM customers WHERE customer_key IS NOT NULL)
            THEN 'unmatched'
        ELSE 'in_scope'
    END AS status
FROM access_log AS a;
