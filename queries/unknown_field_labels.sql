-- Labels in the displayed-fields column that match no entry of the source's label map, on
-- rows that would otherwise be in scope (usable, actor in scope, inside the window, naming a
-- customer key: access_log_scoped, neither rejected nor no_record) and whose action does not
-- set the fields column aside (use_fields_column false), with the source and the number of
-- rows each.
-- Parameters: none
SELECT
    getvariable('case_options').sources[a.log_source].name AS source,
    u.label,
    count(DISTINCT (a.source_file, a.source_row)) AS events
FROM access_log_scoped AS a
JOIN field_label_masks AS m ON m.log_source = a.log_source AND m.fields_text = a.fields_text
CROSS JOIN unnest(m.unknown_labels) AS u(label)
LEFT JOIN action_map AS x ON x.log_source = a.log_source AND x.action = a.action
WHERE a.status NOT IN ('rejected', 'no_record') AND x.use_fields_column IS DISTINCT FROM false
GROUP BY a.log_source, u.label
ORDER BY events DESC, a.log_source, u.label;
