-- An empty linkage_pairs table (see linkage_pairs.sql), for the identity rule alone: the
-- review queue and the person counts read it either way.
-- Parameters: none
CREATE OR REPLACE TABLE linkage_pairs (
    a VARCHAR,
    b VARCHAR,
    probability DOUBLE,
    evidence VARCHAR,
    guard VARCHAR
);
