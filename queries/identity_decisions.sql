-- The reviewers' decisions, empty: identity_decisions_read fills it from the case's decisions
-- file ([recipients.identity] decisions), when there is one; the identity steps read it
-- either way. One row per decided line: its line number, the two keys as written, the
-- decision, who and when, each key resolved to a record (`a`, `b`, NULL when no record has
-- it), and whether it is the latest line about its pair.
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
