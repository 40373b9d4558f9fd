-- Every access-log line (access_log_parsed) with `mask`, the fields its event displayed: from
-- the fields the row names (field_label_masks, by its source's label map), else from its
-- action (action_map, its source's); the action's fields also when the action map says the
-- fields column of that action is not what it displayed (use_fields_column false: an update
-- lists what it changed); and `scope_status`, the bucket decided without the customer
-- table: the row's window_status (rejected; out of scope because of the actor or the window;
-- no_record), else out of scope because the action is not in the action map, else NULL when
-- only the key is left to test (access_log_scoped). `counted_only` marks the lines out of
-- scope by actor or window.
-- A view: the staged rows are parsed by each step that reads it, and kept by none.
-- Parameters: none
CREATE OR REPLACE VIEW access_log AS
SELECT
    a.* EXCLUDE (window_status, counted_only),
    CASE WHEN m.use_fields_column = false THEN m.mask ELSE coalesce(l.mask, m.mask) END AS mask,
    coalesce(
        a.window_status,
        CASE
            WHEN (CASE WHEN m.use_fields_column = false THEN m.mask ELSE coalesce(l.mask, m.mask) END)
                IS NULL
                THEN 'out_of_scope_action'
        END
    ) AS scope_status,
    a.counted_only
FROM access_log_parsed AS a
LEFT JOIN field_label_masks AS l ON l.log_source = a.log_source AND l.fields_text = a.fields_text
LEFT JOIN action_map AS m ON m.log_source = a.log_source AND m.action = a.action;
