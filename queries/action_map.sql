-- Per access-log source, the actions of its action map (the source's own, or the case's), the
-- fields each displays (`mask`), and whether a row's fields column says better
-- (`use_fields_column`: false for an action whose fields column lists something else, such
-- as what an update changed). Made again, with the actions it adds, when the case's unmapped
-- policy is "all-fields".
-- Parameters: $actions
CREATE OR REPLACE TABLE action_map AS
SELECT unnest(
    CAST($actions AS STRUCT(
        log_source INTEGER, action VARCHAR, mask BIGINT, use_fields_column BOOLEAN
    )[]),
    recursive := true
);
