-- The scored pairs of probabilistic linkage, empty: linkage_pairs_scored fills it with the
-- method `probabilistic`; the review queue and the person counts read it either way. One row
-- per pair (a < b): its match probability (three decimals), evidence and guard.
-- Parameters: none
CREATE OR REPLACE TABLE linkage_pairs (
    a VARCHAR,
    b VARCHAR,
    probability DOUBLE,
    evidence VARCHAR,
    guard VARCHAR
);
