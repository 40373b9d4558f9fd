-- The customers' earlier versions from a change log ([customer_history], form "changes": one
-- row per change of one field, with its instant, the old and the new value), in the shape of
-- customer_versions.sql: per customer, one version from each instant a change was made until
-- the next (the first from the beginning of time until the first change), its
-- `available_mask` and `changed_mask` (fields whose value differs from the customer table's
-- today). A field's value in a version is the new value of its last change made at or before
-- the version's start, else the old value of its first change after it, else (a field the
-- log never changes) today's value (a blank old or new value is a value: arg_min_null). `field` names a declared field, or the customer table's
-- column it is read from (without regard to case); a change of any other column changes no
-- field of the case (the row is used, for nothing). A row whose key or instant is missing or
-- not understood is marked with `reject_reason`; `source_file`/`source_row` of a version are
-- those of the change that begins it (of the first change, for the first version). A change
-- log holds no other value of a customer deleted since: such a customer's versions know only
-- the fields it changed. A bare date is local midnight, in $timezone.
-- Parameters: $timezone
CREATE OR REPLACE TABLE customer_versions AS
WITH staged AS (
    SELECT
        source_file,
        source_row,
        clean_text(customer_key) AS written_key,
        normalize_key(clean_text(customer_key)) AS match_key,
        clean_text(changed_at_text) AS at_text,
        clean_text(field_name) AS field_text,
        old_value,
        new_value
    FROM staged_customer_history
),
checked AS (
    SELECT
        s.*,
        parse_instant(
            CASE WHEN length(at_text) = 10 THEN at_text || ' 00:00:00' ELSE at_text END,
            $timezone, NULL, NULL
        ) AS changed_at,
        f.field,
        f.bit,
        f.mask
    FROM staged AS s
    LEFT JOIN fields AS f
        ON lower(f.field) = lower(s.field_text) OR lower(f.column_name) = lower(s.field_text)
),
marked AS (
    SELECT
        *,
        CASE
            WHEN written_key IS NULL THEN 'key missing'
            WHEN at_text IS NULL THEN 'changed_at missing'
            WHEN changed_at IS NULL THEN 'changed_at not understood'
        END AS reject_reason
    FROM checked
),
usable AS (
    SELECT * FROM marked WHERE reject_reason IS NULL AND field IS NOT NULL
),
points AS (
    SELECT
        match_key,
        changed_at AS valid_from,
        min({'source_file': source_file, 'source_row': source_row}) AS first_row
    FROM usable
    GROUP BY match_key, changed_at
    UNION ALL
    SELECT
        match_key,
        '-infinity'::TIMESTAMPTZ,
        min({'source_file': source_file, 'source_row': source_row})
    FROM usable
    GROUP BY match_key
),
versions AS (
    SELECT
        *,
        lead(valid_from) OVER (PARTITION BY match_key ORDER BY valid_from) AS valid_to
    FROM points
),
changed_values AS (
    -- Per version, each field the log changes for that customer, and its value then.
    SELECT
        v.match_key,
        v.valid_from,
        u.field,
        CASE
            WHEN count(*) FILTER (WHERE u.changed_at <= v.valid_from) > 0
                THEN arg_max_null(u.new_value, (u.changed_at, u.source_file, u.source_row))
                    FILTER (WHERE u.changed_at <= v.valid_from)
            ELSE arg_min_null(u.old_value, (u.changed_at, u.source_file, u.source_row))
        END AS value
    FROM versions AS v
    JOIN usable AS u USING (match_key)
    GROUP BY v.match_key, v.valid_from, u.field
),
current AS (
    SELECT * EXCLUDE (source_file, source_row, available_mask) FROM customers
    WHERE match_key IN (SELECT match_key FROM usable)
),
columns_now AS (
    SELECT * EXCLUDE (customer_key) FROM current
),
values_now AS (
    FROM columns_now
    UNPIVOT INCLUDE NULLS (value FOR field IN (COLUMNS(* EXCLUDE (match_key))))
),
version_values AS (
    SELECT
        v.match_key,
        v.valid_from,
        f.bit,
        f.mask,
        CASE WHEN c.field IS NOT NULL THEN c.value ELSE n.value END AS value,
        n.value AS value_now,
        n.match_key IS NOT NULL AS known_now
    FROM versions AS v
    CROSS JOIN fields AS f
    LEFT JOIN changed_values AS c
        ON c.match_key = v.match_key AND c.valid_from = v.valid_from AND c.field = f.field
    LEFT JOIN values_now AS n ON n.match_key = v.match_key AND n.field = f.field
),
masks AS (
    SELECT
        match_key,
        valid_from,
        bit_or(
            CASE
                WHEN available(value, getvariable('case_options').missing_values[bit + 1])
                    THEN mask
                ELSE 0
            END
        ) AS available_mask,
        bit_or(
            CASE
                WHEN known_now AND clean_text(value) IS DISTINCT FROM clean_text(value_now)
                    THEN mask
                ELSE 0
            END
        ) AS changed_mask
    FROM version_values
    GROUP BY match_key, valid_from
),
keys AS (
    SELECT match_key, arg_min(written_key, (source_file, source_row)) AS written_key
    FROM usable
    GROUP BY match_key
)
SELECT
    v.first_row.source_file AS source_file,
    v.first_row.source_row AS source_row,
    v.match_key,
    coalesce(now.customer_key, k.written_key) AS customer_key,
    v.valid_from,
    v.valid_to,
    v.valid_to AS valid_until,
    m.available_mask,
    m.changed_mask,
    CAST(NULL AS VARCHAR) AS reject_reason
FROM versions AS v
JOIN masks AS m USING (match_key, valid_from)
JOIN keys AS k USING (match_key)
LEFT JOIN (SELECT match_key, customer_key FROM current) AS now USING (match_key)
UNION ALL
SELECT
    source_file, source_row, match_key, written_key, changed_at, NULL, NULL, NULL, NULL,
    reject_reason
FROM marked
WHERE reject_reason IS NOT NULL;
