-- Each candidate record with its contact points normalised: a valid email (folded), the
-- valid mobile numbers and all valid numbers of its phone fields in E.164, the folded
-- address, and whether it holds an email or phone that is present but not valid.
-- Parameters: none
CREATE OR REPLACE TABLE recipient_contacts AS
WITH phones AS (
    SELECT
        c.customer_key,
        list(p.e164 ORDER BY p.e164) FILTER (WHERE p.kind = 'mobile') AS mobiles,
        list(p.e164 ORDER BY p.e164) FILTER (WHERE p.e164 IS NOT NULL) AS numbers,
        bool_or(p.kind = 'invalid') AS phone_invalid
    FROM (SELECT customer_key, clean_text(unnest(phones)) AS raw FROM recipient_candidates) AS c
    JOIN phone_lookup AS p ON p.raw = c.raw
    GROUP BY c.customer_key
)
SELECT
    r.*,
    e.email AS email_norm,
    clean_text(r.email) IS NOT NULL AND e.email IS NULL AS email_invalid,
    coalesce(p.mobiles, []) AS mobiles,
    coalesce(p.numbers, []) AS numbers,
    coalesce(p.phone_invalid, false) AS phone_invalid,
    a.folded AS address_key
FROM recipient_candidates AS r
LEFT JOIN email_lookup AS e ON e.raw = clean_text(r.email)
LEFT JOIN phones AS p USING (customer_key)
LEFT JOIN address_lookup AS a ON a.raw = r.address_text;
