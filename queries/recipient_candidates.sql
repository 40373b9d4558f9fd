-- The customer records that may belong to an affected person: every record of a block
-- (same folded first name, folded last name and birth date) that holds an affected record,
-- and, when the case maps a person column, every record with an affected record's person.
-- People are only ever merged inside these records, so the rest of the table is not needed.
-- Records named by a reviewer's decision (identity_decisions) are candidates too. With
-- probabilistic linkage ($everyone) every record is a candidate: a person's other records
-- need not share the names or birth date as typed, and the model is estimated on the table.
-- The records are chosen on their keys (`keyed`, narrow but for the one text the address
-- lookups read: the address, its two address lines joined by a space, where each line is
-- its fields joined by a space; carried along rather than read again for the chosen records
-- from recipient_source: 0.8 s of CPU against 0.9 s at 1M customers). A chosen record keeps
-- its exposure (affected_customers); recipient_contacts reads the rest from
-- recipient_source, so that the customers' columns are copied once, not twice (the email and
-- phone lookups read every record's values from recipient_source).
-- Parameters: $everyone
CREATE OR REPLACE TABLE recipient_candidates AS
WITH keyed AS (
    SELECT
        s.customer_key,
        f.folded AS first_key,
        l.folded AS last_key,
        parse_date(clean_text(s.birth_date)) AS birth,
        a.customer_key IS NOT NULL AS affected,
        a.exposed_mask,
        a.first_exposure,
        a.last_exposure,
        clean_text(s.person_ref) AS person,
        nullif(concat_ws(' ', s.address_line1, s.address_line2), '') AS address_text
    FROM recipient_source AS s
    LEFT JOIN name_lookup AS f ON f.raw = clean_text(s.first_name)
    LEFT JOIN name_lookup AS l ON l.raw = clean_text(s.last_name)
    LEFT JOIN affected_customers AS a ON a.customer_key = s.customer_key
),
blocks AS (
    SELECT DISTINCT first_key, last_key, birth
    FROM keyed
    WHERE affected AND first_key IS NOT NULL AND last_key IS NOT NULL AND birth IS NOT NULL
),
persons AS (
    SELECT DISTINCT person FROM keyed WHERE affected AND person IS NOT NULL
),
decided AS (
    SELECT a AS customer_key FROM identity_decisions WHERE a IS NOT NULL AND b IS NOT NULL
    UNION
    SELECT b FROM identity_decisions WHERE a IS NOT NULL AND b IS NOT NULL
),
chosen AS (
    SELECT k.* EXCLUDE (person)
    FROM keyed AS k
    WHERE $everyone
       OR k.affected
       OR EXISTS (
           SELECT 1 FROM blocks AS b
           WHERE b.first_key = k.first_key AND b.last_key = k.last_key AND b.birth = k.birth
       )
       OR k.person IN (SELECT person FROM persons)
       OR k.customer_key IN (SELECT customer_key FROM decided)
)
SELECT * FROM chosen;
