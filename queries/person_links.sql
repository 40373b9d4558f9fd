-- The identity rule's links: two candidate records are the same person when their folded
-- first name, folded last name and birth date are equal AND they share a contact point (the
-- same valid email, the same valid mobile number, or the same folded postal address). One
-- row per linked pair (a < b) and kind of shared contact point. Reviewers' decisions and
-- probabilistic links are added to the same table later (person_links_same,
-- person_links_probable), with their probability and evidence; a rule link has neither.
-- Only records whose block (name and birth date) holds several records can be linked: those
-- are found first, so the self-join compares their contact points only, not every record's.
-- Parameters: none
CREATE OR REPLACE TABLE person_links AS
WITH blocks AS (
    SELECT first_key, last_key, birth
    FROM recipient_contacts
    WHERE first_key IS NOT NULL AND last_key IS NOT NULL AND birth IS NOT NULL
    GROUP BY first_key, last_key, birth
    HAVING count(*) > 1
),
records AS (
    SELECT c.customer_key, c.first_key, c.last_key, c.birth, c.email_norm, c.address_key
    FROM recipient_contacts AS c
    JOIN blocks AS b USING (first_key, last_key, birth)
),
points AS (
    SELECT customer_key, first_key, last_key, birth, 'email' AS kind, email_norm AS value
    FROM records WHERE email_norm IS NOT NULL
    UNION ALL
    SELECT r.customer_key, r.first_key, r.last_key, r.birth, 'mobile', p.e164
    FROM records AS r
    JOIN recipient_phones AS p ON p.customer_key = r.customer_key AND p.kind = 'mobile'
    UNION ALL
    SELECT customer_key, first_key, last_key, birth, 'address', address_key
    FROM records WHERE address_key IS NOT NULL
)
SELECT DISTINCT
    a.customer_key AS a,
    b.customer_key AS b,
    a.kind,
    CAST(NULL AS DOUBLE) AS probability,
    CAST(NULL AS VARCHAR) AS evidence
FROM points AS a
JOIN points AS b
  ON a.first_key = b.first_key
 AND a.last_key = b.last_key
 AND a.birth = b.birth
 AND a.kind = b.kind
 AND a.value = b.value
 AND a.customer_key < b.customer_key;
