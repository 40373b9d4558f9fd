-- Per declared customer field (customer_values: one line per record and field): how many
-- records hold a value that is available (macro_available), blank (NULL, or nothing visible:
-- only blanks, space, control or format characters, macro_visible) or a placeholder
-- (visible, not available: a value of the case's missing_values, or only punctuation and
-- symbols); and its five most frequent values (NULL left out) with their counts, most
-- frequent first. For `check`, which shows them on screen only: values are never written.
-- Each distinct value is classified once.
-- Parameters: none
WITH per_value AS (
    SELECT field, bit, value, count(*) AS n
    FROM customer_values
    GROUP BY ALL
),
classified AS (
    SELECT
        *,
        CASE
            WHEN available(value, getvariable('case_options').missing_values[bit + 1])
                THEN 'available'
            WHEN visible(value) THEN 'placeholder'
            ELSE 'blank'
        END AS kind
    FROM per_value
),
kinds AS (
    SELECT
        field,
        bit,
        coalesce(sum(n) FILTER (WHERE kind = 'available'), 0) AS available,
        coalesce(sum(n) FILTER (WHERE kind = 'blank'), 0) AS blank,
        coalesce(sum(n) FILTER (WHERE kind = 'placeholder'), 0) AS placeholder
    FROM classified
    GROUP BY ALL
),
top AS (
    SELECT field, list({'value': value, 'count': n} ORDER BY n DESC, value) AS top
    FROM (
        SELECT field, value, n
        FROM per_value
        WHERE value IS NOT NULL
        QUALIFY row_number() OVER (PARTITION BY field ORDER BY n DESC, value) <= 5
    )
    GROUP BY field
)
SELECT
    k.field,
    CAST(k.available AS BIGINT) AS available,
    CAST(k.blank AS BIGINT) AS blank,
    CAST(k.placeholder AS BIGINT) AS placeholder,
    coalesce(t.top, []) AS top
FROM kinds AS k
LEFT JOIN top AS t USING (field)
ORDER BY k.bit;
