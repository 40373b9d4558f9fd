-- Adds the automatic probabilistic links to person_links (kind `probabilistic`, with the
-- probability and the evidence): pairs of linkage_pairs at or above $auto_merge that no guard
-- keeps apart, that no reviewer decided about, and that no link joins already.
-- Parameters: $auto_merge
INSERT INTO person_links
SELECT p.a, p.b, 'probabilistic' AS kind, p.probability, p.evidence
FROM linkage_pairs AS p
WHERE p.probability >= $auto_merge
  AND p.guard IS NULL
  AND NOT EXISTS (
      SELECT 1 FROM identity_decisions AS d
      WHERE d.latest AND least(d.a, d.b) = p.a AND greatest(d.a, d.b) = p.b
  )
  AND NOT EXISTS (SELECT 1 FROM person_links AS k WHERE k.a = p.a AND k.b = p.b);
