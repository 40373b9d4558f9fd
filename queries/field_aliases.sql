-- Per access-log source, the labels its fields column may hold and the fields each stands
-- for (`mask`; 0 for a label that names no personal field): the source's label map (or the
-- case's), and every declared field's own name, which always matches.
-- Parameters: $aliases
CREATE OR REPLACE TABLE field_aliases AS
SELECT unnest(
    CAST($aliases AS STRUCT(log_source INTEGER, label VARCHAR, fields VARCHAR[], mask BIGINT)[]),
    recursive := true
);
