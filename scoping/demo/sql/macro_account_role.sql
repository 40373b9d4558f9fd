-- Defines account_role(u, noisy): the role of an account from a uniform draw u: 3% second
-- accounts of an earlier person, 7% members of an earlier account's household, 0.2% twins of
-- an earlier account holder; the rest single. With noisy duplicates: 12% second accounts, 7%
-- household members, 1% twins, 1% namesakes (a child with the parent's first and last name,
-- at the same address) and 1% homonyms (same first and last name, same town).
-- Parameters: none
CREATE OR REPLACE TEMP MACRO account_role(u, noisy) AS
    CASE WHEN NOT noisy THEN
             CASE WHEN u < 0.03 THEN 'second_account' WHEN u < 0.10 THEN 'household'
                  WHEN u < 0.102 THEN 'twin' ELSE 'single' END
         WHEN u < 0.12 THEN 'second_account' WHEN u < 0.19 THEN 'household'
         WHEN u < 0.20 THEN 'twin' WHEN u < 0.21 THEN 'namesake' WHEN u < 0.22 THEN 'homonym'
         ELSE 'single' END;
