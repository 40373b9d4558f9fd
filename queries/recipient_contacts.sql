-- Each candidate record (its columns from recipient_source; its address as one text, name
-- keys and exposure from recipient_candidates) with its contact points normalised: a valid
-- email (folded), its first valid mobile number in E.164 (the smallest, as written; the
-- others are in recipient_phones), the folded address, and whether it holds an email or
-- phone that is present but not valid. The raw phone values are left out: recipient_phones
-- has them normalised. recipient_emails and recipient_phones hold every record's: only the
-- candidates' phones are grouped (with a scope of a few records, a grouping of every
-- record's would cost more than the rest of the step).
-- Parameters: none
CREATE OR REPLACE TABLE recipient_contacts AS
WITH phones AS (
    SELECT
        customer_key,
        min(e164) FILTER (WHERE kind = 'mobile') AS mobile,
        bool_or(kind = 'invalid') AS phone_invalid
    FROM recipient_phones
    WHERE customer_key IN (SELECT customer_key FROM recipient_candidates)
    GROUP BY customer_key
)
SELECT
    s.customer_key,
    s.first_name,
    s.last_name,
    s.birth_date,
    s.email,
    r.address_text,
    s.* EXCLUDE (customer_key, first_name, last_name, birth_date, email, phones),
    r.first_key,
    r.last_key,
    r.birth,
    r.affected,
    r.exposed_mask,
    r.first_exposure,
    r.last_exposure,
    e.email AS email_norm,
    clean_text(s.email) IS NOT NULL AND e.email IS NULL AS email_invalid,
    p.mobile,
    coalesce(p.phone_invalid, false) AS phone_invalid,
    a.folded AS address_key
FROM recipient_candidates AS r
JOIN recipient_source AS s USING (customer_key)
LEFT JOIN recipient_emails AS e ON e.customer_key = r.customer_key
LEFT JOIN phones AS p USING (customer_key)
LEFT JOIN address_lookup AS a ON a.raw = r.address_text;
