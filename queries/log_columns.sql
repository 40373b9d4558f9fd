-- Per access-log source, the column the case maps to each part of a row (timestamp, actor,
-- record, action): rejected_rows names the column a row was rejected for.
-- Parameters: $columns
CREATE OR REPLACE TABLE log_columns AS
SELECT unnest(
    CAST($columns AS STRUCT(log_source INTEGER, part VARCHAR, column_name VARCHAR)[]),
    recursive := true
);
