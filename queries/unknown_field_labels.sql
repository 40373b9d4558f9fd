-- Labels in the displayed-fields column that match no field, on rows that would otherwise be
-- in scope (usable, actor in scope, inside the window, naming a customer key: access_log_scoped,
-- neither rejected nor no_record), with the number of rows each.
-- Parameters: none
SELECT u.label, count(DISTINCT (a.source_file, a.source_row)) AS events
FROM access_log_scoped AS a
JOIN field_label_masks AS m USING (fields_text)
CROSS JOIN unnest(m.unknown_labels) AS u(label)
WHERE a.status NOT IN ('rejected', 'no_record')
GROUP BY u.label
ORDER BY events DESC, u.label;
