-- Removes from person_links every link between two records that the reviewers' latest
-- decision about them says are different people, whatever made the link: a person's word
-- comes first. (Other links may still join them; the probabilistic ones are then held back by
-- linkage_held.)
-- Parameters: none
DELETE FROM person_links AS k
WHERE EXISTS (
    SELECT 1 FROM identity_decisions AS d
    WHERE d.latest
      AND d.decision = 'different'
      AND least(d.a, d.b) = k.a
      AND greatest(d.a, d.b) = k.b
);
