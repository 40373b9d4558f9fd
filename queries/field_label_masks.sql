-- For every source and every distinct text of its column naming the fields an event
-- displayed (report column headers), the field mask it stands for: its labels (split on the
-- source's fields_separator, clean_text'd) matched without regard to case against the
-- source's field_aliases (its label map, or the case's, and the field names themselves,
-- which the case file keeps distinct without regard to case and blanks, so that a label
-- matches one entry at most; an entry stands for one field, several, or none: a label that
-- is no personal field), and the labels that match no entry.
-- Parameters: none
CREATE OR REPLACE TABLE field_label_masks AS
WITH texts AS (
    SELECT DISTINCT i.log_source, t.fields_text
    FROM (
        SELECT DISTINCT source_file, clean_text(fields_text) AS fields_text
        FROM staged_access_log
        WHERE fields_text IS NOT NULL
    ) AS t
    JOIN input_files AS i USING (source_file)
    WHERE t.fields_text IS NOT NULL
),
labels AS (
    SELECT
        log_source,
        fields_text,
        clean_text(unnest(string_split(
            fields_text, getvariable('case_options').sources[log_source].fields_separator
        ))) AS label
    FROM texts
)
SELECT
    l.log_source,
    l.fields_text,
    bit_or(coalesce(a.mask, 0)) AS mask,
    list(DISTINCT l.label ORDER BY l.label) FILTER (WHERE a.mask IS NULL AND l.label IS NOT NULL)
        AS unknown_labels
FROM labels AS l
LEFT JOIN field_aliases AS a ON a.log_source = l.log_source AND lower(a.label) = lower(l.label)
GROUP BY l.log_source, l.fields_text;
