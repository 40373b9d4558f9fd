-- Defines account_role(u): the role of an account from a uniform draw u: 3% second
-- accounts of an earlier person, 7% members of an earlier account's household, 0.2% twins of
-- an earlier account holder; the rest single.
-- Parameters: none
CREATE OR REPLACE TEMP MACRO account_role(u) AS
    CASE WHEN u < 0.03 THEN 'second_account' WHEN u < 0.10 THEN 'household'
         WHEN u < 0.102 THEN 'twin' ELSE 'single' END;
