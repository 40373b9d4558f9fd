-- An empty identity_decisions table (see identity_decisions.sql), for a case without a
-- decisions file: the identity steps read it either way.
-- Parameters: none
CREATE OR REPLACE TABLE identity_decisions (
    line BIGINT,
    key_a VARCHAR,
    key_b VARCHAR,
    decision VARCHAR,
    who VARCHAR,
    "when" VARCHAR,
    a VARCHAR,
    b VARCHAR,
    latest BOOLEAN
);
