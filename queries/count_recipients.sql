-- Recipient counts: affected persons against affected records, minors, persons whose age is
-- unknown (no birth date that can be read), deceased, people with no usable channel, with shared or invalid contact points, merged people, and earlier
-- recipients (from --previous) that no current person matches. The person count's bounds:
-- `affected_persons_at_most` if no pair of the review queue is one person (the count itself:
-- queued pairs are never merged), `affected_persons_at_least` if every queued pair is (each
-- component of the queue over persons, review_labels, counts once); the queue's pairs; and the
-- lines of the reviewers' decisions file naming a key that no customer record has.
-- Parameters: none
SELECT
    count(*) AS affected_persons,
    coalesce(sum(len(string_split(affected_keys, '|'))), 0) AS affected_records,
    count(*) FILTER (WHERE minor) AS minors,
    count(*) FILTER (WHERE minor IS NULL) AS age_unknown,
    count(*) FILTER (WHERE deceased) AS deceased,
    count(*) FILTER (WHERE channel IS NULL) AS no_contact,
    count(*) FILTER (WHERE shared_contact) AS shared_contact,
    count(*) FILTER (WHERE invalid_contact) AS invalid_contact,
    count(*) FILTER (WHERE merge_reason IS NOT NULL) AS merged_persons,
    (
        SELECT count(DISTINCT p.recipient_id)
        FROM previous_recipients AS p
        WHERE p.recipient_id NOT IN (
            SELECT q.recipient_id
            FROM previous_recipients AS q
            JOIN (
                SELECT normalize_key(unnest(string_split(customer_keys, '|'))) AS match_key
                FROM recipients
            ) USING (match_key)
        )
    ) AS previous_not_matched,
    count(*) AS affected_persons_at_most,
    count(*) - (
        SELECT coalesce(count(*) FILTER (WHERE affected) - count(DISTINCT bound) FILTER (WHERE affected), 0)
        FROM review_labels
    ) AS affected_persons_at_least,
    (SELECT count(*) FROM merge_review) AS review_pairs,
    (
        SELECT count(*) FROM identity_decisions WHERE a IS NULL OR b IS NULL
    ) AS decisions_unknown_keys
FROM recipients;
