-- Removes from person_links the probabilistic links that linkage_held holds back: they go to
-- the review queue instead.
-- Parameters: none
DELETE FROM person_links AS k
WHERE k.kind = 'probabilistic'
  AND EXISTS (SELECT 1 FROM linkage_held AS h WHERE h.a = k.a AND h.b = k.b);
