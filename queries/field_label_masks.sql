-- For every distinct text of the column naming the fields an event displayed (report column
-- headers), the field mask it stands for: its labels (split on case_options.fields_separator,
-- clean_text'd) matched without regard to case against field_aliases (the case's aliases and
-- the field names themselves, which the case file keeps distinct without regard to case and
-- blanks, so that a label matches one field at most), and the labels that match no field.
-- Parameters: none
CREATE OR REPLACE TABLE field_label_masks AS
WITH texts AS (
    SELECT DISTINCT clean_text(fields_text) AS fields_text
    FROM staged_access_log
    WHERE clean_text(fields_text) IS NOT NULL
),
labels AS (
    SELECT
        fields_text,
        clean_text(unnest(string_split(fields_text, getvariable('case_options').fields_separator)))
            AS label
    FROM texts
)
SELECT
    l.fields_text,
    bit_or(coalesce(a.mask, 0)) AS mask,
    list(DISTINCT l.label ORDER BY l.label) FILTER (WHERE a.mask IS NULL AND l.label IS NOT NULL)
        AS unknown_labels
FROM labels AS l
LEFT JOIN field_aliases AS a ON lower(a.label) = lower(l.label)
GROUP BY l.fields_text;
