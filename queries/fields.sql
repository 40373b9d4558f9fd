-- The case's declared customer fields: name, category, bit and mask (1 << bit) in the field
-- masks every step computes with, and the customer table's column it is read from.
-- Parameters: $fields
CREATE OR REPLACE TABLE fields AS
SELECT unnest(
    CAST($fields AS STRUCT(
        field VARCHAR, category VARCHAR, bit INTEGER, mask BIGINT, column_name VARCHAR
    )[]),
    recursive := true
);
