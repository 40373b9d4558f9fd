-- Adds the reviewers' `same` decisions to person_links (kind `decision`): the latest decision
-- about a pair of existing records, when it says they are one person, links them.
-- Parameters: none
INSERT INTO person_links
SELECT DISTINCT
    least(a, b) AS a,
    greatest(a, b) AS b,
    'decision' AS kind,
    CAST(NULL AS DOUBLE) AS probability,
    CAST(NULL AS VARCHAR) AS evidence
FROM identity_decisions
WHERE latest AND decision = 'same' AND a <> b;
