-- For each of $actors (scope actors with no event), up to three actors of the log that may
-- be the one meant ("did you mean"): the same once both are folded (lower case, without
-- braces, dashes and blanks: `{3F2B-9C1E}` = `3f2b9c1e`), or within a small edit distance
-- of it (at most 2, and less than half the folded length, so that short names do not all
-- look alike). Closest first: folded distance, then the distance as written, then the name.
-- Parameters: $actors
WITH wanted AS (
    SELECT actor, regexp_replace(lower(actor), '[{}\-\s]', '', 'g') AS folded
    FROM (SELECT unnest(CAST($actors AS VARCHAR[])) AS actor)
),
logged AS (
    SELECT log_actor, regexp_replace(lower(log_actor), '[{}\-\s]', '', 'g') AS folded
    FROM (
        SELECT DISTINCT clean_text(actor) AS log_actor
        FROM staged_access_log
        WHERE clean_text(actor) IS NOT NULL
    )
),
close AS (
    SELECT
        w.actor,
        l.log_actor,
        levenshtein(w.folded, l.folded) AS distance,
        levenshtein(w.actor, l.log_actor) AS written_distance
    FROM wanted AS w, logged AS l
    WHERE l.log_actor <> w.actor
      AND abs(length(w.folded) - length(l.folded)) <= 2
)
SELECT actor, log_actor
FROM close
WHERE distance = 0 OR (distance <= 2 AND distance * 2 < length(regexp_replace(lower(actor), '[{}\-\s]', '', 'g')))
QUALIFY row_number() OVER (
    PARTITION BY actor ORDER BY distance, written_distance, log_actor
) <= 3
ORDER BY actor, distance, written_distance, log_actor;
