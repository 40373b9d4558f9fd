-- The customers' earlier versions ([customer_history], form "intervals"): one row per staged
-- history row, with its key as the customer table writes it (`customer_key`; as the history
-- wrote it for a customer deleted since) and as compared (`match_key`), its validity as
-- instants (`valid_from` inclusive, `valid_to` exclusive, NULL for a version still valid; a
-- bare date is local midnight, in $timezone), its field values, `available_mask` (the
-- fields it had, by the rule of the customer table), `changed_mask` (the fields whose value
-- differs from the customer table's today: trimmed, compared as written) and
-- `valid_until`, the end the exposure uses: valid_to, cut at the next version's valid_from
-- when the two overlap (the later version wins), so that one instant has one version.
-- `reject_reason` marks a row that cannot be used (key or valid_from missing, a time not
-- understood, valid_to not after valid_from). Empty when the case gives no history.
-- Parameters: $timezone
CREATE OR REPLACE TABLE customer_versions AS
WITH staged AS (
    SELECT
        * EXCLUDE (
            customer_key, valid_from_text, valid_to_text, changed_at_text, field_name,
            old_value, new_value
        ),
        clean_text(customer_key) AS written_key,
        clean_text(valid_from_text) AS from_text,
        clean_text(valid_to_text) AS to_text
    FROM staged_customer_history
),
parsed AS (
    SELECT
        *,
        normalize_key(written_key) AS match_key,
        parse_instant(
            CASE WHEN length(from_text) = 10 THEN from_text || ' 00:00:00' ELSE from_text END,
            $timezone, NULL, NULL
        ) AS valid_from,
        parse_instant(
            CASE WHEN length(to_text) = 10 THEN to_text || ' 00:00:00' ELSE to_text END,
            $timezone, NULL, NULL
        ) AS valid_to
    FROM staged
),
checked AS (
    SELECT
        *,
        CASE
            WHEN written_key IS NULL THEN 'key missing'
            WHEN from_text IS NULL THEN 'valid_from missing'
            WHEN valid_from IS NULL THEN 'valid_from not understood'
            WHEN to_text IS NOT NULL AND valid_to IS NULL THEN 'valid_to not understood'
            WHEN valid_to <= valid_from THEN 'valid_to not after valid_from'
        END AS reject_reason
    FROM parsed
),
current AS (
    SELECT * EXCLUDE (source_file, source_row) FROM customers
    WHERE match_key IN (SELECT match_key FROM checked)
),
columns_then AS (
    SELECT * EXCLUDE (written_key, match_key, from_text, to_text, valid_from, valid_to,
        reject_reason, available_mask)
    FROM checked
),
values_then AS (
    FROM columns_then
    UNPIVOT INCLUDE NULLS (value FOR field IN (COLUMNS(* EXCLUDE (source_file, source_row))))
),
columns_now AS (
    SELECT * EXCLUDE (customer_key, available_mask) FROM current
),
values_now AS (
    FROM columns_now
    UNPIVOT INCLUDE NULLS (value FOR field IN (COLUMNS(* EXCLUDE (match_key))))
),
changed AS (
    SELECT t.source_file, t.source_row, bit_or(f.mask) AS changed_mask
    FROM values_then AS t
    JOIN fields AS f USING (field)
    JOIN checked AS c USING (source_file, source_row)
    JOIN values_now AS n ON n.match_key = c.match_key AND n.field = t.field
    WHERE clean_text(t.value) IS DISTINCT FROM clean_text(n.value)
    GROUP BY t.source_file, t.source_row
)
SELECT
    c.* EXCLUDE (written_key, from_text, to_text),
    coalesce(now.customer_key, c.written_key) AS customer_key,
    CASE WHEN now.customer_key IS NULL THEN 0 ELSE coalesce(d.changed_mask, 0) END
        AS changed_mask,
    CASE
        WHEN c.reject_reason IS NOT NULL THEN NULL
        WHEN c.valid_to IS NULL THEN lead(c.valid_from) OVER w
        WHEN lead(c.valid_from) OVER w IS NULL THEN c.valid_to
        ELSE least(c.valid_to, lead(c.valid_from) OVER w)
    END AS valid_until
FROM checked AS c
LEFT JOIN current AS now USING (match_key)
LEFT JOIN changed AS d USING (source_file, source_row)
WINDOW w AS (
    PARTITION BY c.match_key, c.reject_reason IS NULL ORDER BY c.valid_from, c.source_file, c.source_row
);
