-- Each candidate record with its contact points normalised: a valid email (folded), its
-- first valid mobile number in E.164 (the smallest, as written; the others are in
-- recipient_phones), the folded address, and whether it holds an email or phone that is
-- present but not valid. The raw phone values are left out: recipient_phones has them
-- normalised.
-- Parameters: none
CREATE OR REPLACE TABLE recipient_contacts AS
WITH phones AS (
    SELECT
        c.customer_key,
        min(p.e164) FILTER (WHERE p.kind = 'mobile') AS mobile,
        bool_or(p.kind = 'invalid') AS phone_invalid
    FROM (SELECT customer_key, clean_text(unnest(phones)) AS raw FROM recipient_candidates) AS c
    JOIN phone_lookup AS p ON p.raw = c.raw
    GROUP BY c.customer_key
)
SELECT
    r.* EXCLUDE (phones),
    e.email AS email_norm,
    clean_text(r.email) IS NOT NULL AND e.email IS NULL AS email_invalid,
    p.mobile,
    coalesce(p.phone_invalid, false) AS phone_invalid,
    a.folded AS address_key
FROM recipient_candidates AS r
LEFT JOIN email_lookup AS e ON e.raw = clean_text(r.email)
LEFT JOIN phones AS p USING (customer_key)
LEFT JOIN address_lookup AS a ON a.raw = r.address_text;
