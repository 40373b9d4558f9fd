-- Recipient counts: affected persons against affected records, minors, persons whose age is
-- unknown (no birth date that can be read), deceased, people with no usable channel, with shared or invalid contact points, merged people, and earlier
-- recipients (from --previous) that no current person matches.
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
    ) AS previous_not_matched
FROM recipients;
