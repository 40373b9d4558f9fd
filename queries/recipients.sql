-- One row per affected person (a person label holding at least one affected record):
-- recipient_id (from the sorted keys of all the person's records, as the customer table
-- wrote them, so stable across runs and waves), keys (sorted as text), the name and address of a representative record (the first affected record
-- by key; the address from the first record whose address is complete), the first valid
-- email and mobile over the person's records (affected records first, then by key), the
-- language (the language column when valid, else the postal-code table, else the default),
-- the fields and categories exposed over all affected records, first and last exposure,
-- flags (minor at the notification date, unknown without a birth date, deceased, shared contact points, invalid contact
-- points), why records were merged (the rule's shared contact points, the weakest automatic
-- probabilistic link with its evidence, a reviewer's decision), the chosen channel (the first usable in the case's
-- order; NULL: no usable channel), the wave status against earlier recipient lists and
-- `new_categories`, the exposed categories that no earlier list told the person about (all
-- of them for a new person, NULL when nothing is new), in the case's order.
-- "First" is arg_min_null over `rank` (affected records first, then by key), which is unique
-- within a person: a plain aggregate, where first(... ORDER BY ...) sorts every group. Only
-- people with several records are grouped; a person of one record is read as it is.
-- `records` is read by several steps and is materialised once: recomputing its joins for
-- each cost a quarter of this step (measured: 40 s against 31 s at 10M customers). `points`
-- and `people` are not: each is cheaper to recompute for its few readers (which need few of
-- its columns) than to store (29 s against 24 s at 10M customers).
-- Parameters: none
CREATE OR REPLACE TABLE recipients AS
WITH merged AS (
    -- The labels that more than one record carries: few, since most people have one record.
    SELECT label FROM person_labels GROUP BY label HAVING count(*) > 1
),
records AS MATERIALIZED (
    -- Each record with what it contributes to its person: the representative's name and
    -- language fields, a postal address when complete, contact points, flags, and `rank`.
    SELECT
        c.customer_key,
        c.affected,
        c.email_norm,
        c.address_key,
        l.label,
        c.exposed_mask,
        c.first_exposure,
        c.last_exposure,
        (NOT c.affected, c.customer_key) AS rank,
        {
            'first_name': c.first_name,
            'last_name': c.last_name,
            'language_ref': c.language_ref,
            'postal_code': c.postal_code
        } AS rep,
        CASE
            WHEN c.address_complete
                THEN {'address_line1': c.address_line1, 'address_line2': c.address_line2}
        END AS postal,
        c.mobile,
        c.email_invalid OR c.phone_invalid AS invalid_contact,
        -- A list, not IN: DuckDB plans an IN list of seven or more values as a join.
        coalesce(
            list_contains(
                ['1', 'true', 'yes', 'y', 'j', 'ja', 'oui', 'o'], lower(clean_text(c.deceased_ref))
            ),
            false
        ) AS deceased,
        c.birth,
        m.label IS NULL AS alone
    FROM recipient_contacts AS c
    JOIN person_labels AS l USING (customer_key)
    LEFT JOIN merged AS m ON m.label = l.label
),
merge_kinds AS (
    -- Why a person's records were merged: the rule's shared contact points, the weakest
    -- automatic probabilistic link (its probability and evidence), reviewers' decisions.
    SELECT
        l.label,
        list(DISTINCT k.kind ORDER BY k.kind)
            FILTER (WHERE k.kind IN ('address', 'email', 'mobile')) AS kinds,
        min(k.probability) AS probability,
        arg_min(k.evidence, (k.probability, k.a, k.b)) FILTER (WHERE k.probability IS NOT NULL)
            AS evidence,
        bool_or(k.kind = 'decision') AS decided
    FROM person_links AS k
    JOIN person_labels AS l ON l.customer_key = k.a
    GROUP BY l.label
),
points AS NOT MATERIALIZED (
    -- The kind of a contact point is a bit (1 address, 2 email, 4 phone): a person's shared
    -- kinds are then one bit_or, where a DISTINCT list of names grouped the points twice
    -- more (at 10M customers, 21.7M points of 6.4M people).
    SELECT label, 2 AS kind, email_norm AS value FROM records WHERE email_norm IS NOT NULL
    UNION ALL
    SELECT l.label, 4, p.e164
    FROM recipient_phones AS p
    JOIN person_labels AS l USING (customer_key)
    WHERE p.e164 IS NOT NULL
    UNION ALL
    SELECT label, 1, address_key FROM records WHERE address_key IS NOT NULL
),
shared_points AS (
    SELECT kind, value FROM points GROUP BY kind, value HAVING min(label) < max(label)
),
shared AS (
    SELECT
        p.label,
        concat_ws(
            '|',
            CASE WHEN bit_or(p.kind) & 1 <> 0 THEN 'address' END,
            CASE WHEN bit_or(p.kind) & 2 <> 0 THEN 'email' END,
            CASE WHEN bit_or(p.kind) & 4 <> 0 THEN 'phone' END
        ) AS kinds
    FROM points AS p
    JOIN shared_points AS s USING (kind, value)
    GROUP BY p.label
),
previous AS (
    SELECT r.label, list_distinct(flatten(list(p.categories))) AS categories
    FROM records AS r
    JOIN previous_recipients AS p ON p.match_key = normalize_key(r.customer_key)
    GROUP BY r.label
),
people AS NOT MATERIALIZED (
    SELECT
        label,
        array_to_string(list_sort(list(customer_key)), '|') AS customer_keys,
        array_to_string(list_sort(list(customer_key) FILTER (WHERE affected)), '|')
            AS affected_keys,
        count(*) FILTER (WHERE affected) AS affected_records,
        count(*) AS records,
        bit_or(exposed_mask) AS exposed_mask,
        min(first_exposure) AS first_exposure,
        max(last_exposure) AS last_exposure,
        arg_min_null(rep, rank) AS rep,
        arg_min_null(postal, rank) FILTER (WHERE postal IS NOT NULL) AS postal,
        arg_min_null(email_norm, rank) FILTER (WHERE email_norm IS NOT NULL) AS email,
        arg_min_null(mobile, rank) FILTER (WHERE mobile IS NOT NULL) AS mobile,
        bool_or(invalid_contact) AS invalid_contact,
        bool_or(deceased) AS deceased,
        max(birth) AS birth
    FROM records
    WHERE NOT alone
    GROUP BY label
    HAVING bool_or(affected)
    UNION ALL BY NAME
    -- A person of one record is that record: the same values, with no grouping to pay for.
    SELECT
        label,
        customer_key AS customer_keys,
        customer_key AS affected_keys,
        1 AS affected_records,
        1 AS records,
        exposed_mask,
        first_exposure,
        last_exposure,
        rep,
        postal,
        email_norm AS email,
        mobile,
        invalid_contact,
        deceased,
        birth
    FROM records
    WHERE alone AND affected
),
categories AS (
    SELECT category, bit_or(mask) AS mask, min(bit) AS position FROM fields GROUP BY category
),
masks AS (
    -- Few distinct masks: spell each out once.
    SELECT
        m.exposed_mask,
        (SELECT string_agg(f.field, '|' ORDER BY f.bit) FROM fields AS f
            WHERE (m.exposed_mask & f.mask) <> 0) AS fields,
        (SELECT string_agg(c.category, '|' ORDER BY c.position) FROM categories AS c
            WHERE (m.exposed_mask & c.mask) <> 0) AS categories,
        (SELECT list(c.category ORDER BY c.category) FROM categories AS c
            WHERE (m.exposed_mask & c.mask) <> 0) AS category_set
    FROM (SELECT DISTINCT exposed_mask FROM people) AS m
),
postal AS (
    -- Each distinct postal code once, against the postal-code language table.
    SELECT p.code, l.language
    FROM (
        SELECT DISTINCT rep.postal_code AS code FROM people WHERE rep.postal_code IS NOT NULL
    ) AS p
    JOIN postal_languages AS l
      ON try_cast(regexp_extract(p.code, '^[0-9]+') AS INTEGER) BETWEEN l.low AND l.high
),
described AS (
    SELECT
        p.*,
        k.fields,
        k.categories,
        k.category_set,
        coalesce(
            CASE WHEN regexp_full_match(lower(clean_text(p.rep.language_ref)), '(nl|fr|de|en)(\+(nl|fr|de|en))?')
                THEN lower(clean_text(p.rep.language_ref)) END,
            z.language,
            getvariable('recipient_options').default_language
        ) AS language
    FROM people AS p
    JOIN masks AS k USING (exposed_mask)
    LEFT JOIN postal AS z ON z.code = p.rep.postal_code
)
SELECT
    'R-' || substr(sha256(d.customer_keys), 1, 16) AS recipient_id,
    d.customer_keys,
    d.affected_keys,
    d.rep.first_name AS first_name,
    d.rep.last_name AS last_name,
    d.language,
    list_filter(
        getvariable('recipient_options').channels,
        lambda c: (c = 'email' AND d.email IS NOT NULL)
            OR (c = 'sms' AND d.mobile IS NOT NULL)
            OR (c = 'letter' AND d.postal IS NOT NULL)
    )[1] AS channel,
    d.email,
    d.mobile,
    d.postal.address_line1 AS address_line1,
    d.postal.address_line2 AS address_line2,
    d.fields,
    d.categories,
    format_utc(d.first_exposure) AS first_exposure_utc,
    format_utc(d.last_exposure) AS last_exposure_utc,
    -- NULL (blank in the files) when none of the person's records has a birth date that
    -- can be read: unknown, not "not a minor".
    d.birth > getvariable('recipient_options').notification_date
        - to_years(getvariable('recipient_options').minor_age) AS minor,
    d.deceased,
    s.kinds IS NOT NULL AS shared_contact,
    s.kinds AS shared_contact_points,
    d.invalid_contact,
    CASE
        WHEN d.label LIKE 'P:%' AND d.records > 1 THEN 'same person id'
        WHEN m.label IS NOT NULL THEN nullif(concat_ws(
            '; ',
            CASE WHEN len(m.kinds) > 0
                THEN 'same name and birth date; shared ' || array_to_string(m.kinds, ', ') END,
            CASE WHEN m.probability IS NOT NULL
                THEN 'probabilistic (' || printf('%.3f', m.probability) || '): ' || m.evidence END,
            CASE WHEN m.decided THEN 'reviewed: same person' END
        ), '')
    END AS merge_reason,
    CASE
        WHEN pr.label IS NULL THEN 'new'
        WHEN list_has_all(pr.categories, d.category_set) THEN 'already_notified'
        ELSE 'expanded'
    END AS wave_status,
    CASE
        WHEN pr.label IS NULL THEN d.categories
        ELSE nullif(
            array_to_string(
                list_filter(
                    string_split(d.categories, '|'),
                    lambda c: NOT list_contains(pr.categories, c)
                ),
                '|'
            ),
            ''
        )
    END AS new_categories,
    d.category_set
FROM described AS d
LEFT JOIN merge_kinds AS m USING (label)
LEFT JOIN shared AS s USING (label)
LEFT JOIN previous AS pr USING (label);
