-- Labels in the displayed-fields column that match no field, on rows that would otherwise be
-- in scope (usable, actor in scope, inside the window: access_log_scoped, not rejected), with
-- the number of rows each.
-- Parameters: none
SELECT u.label, count(DISTINCT (a.source_file, a.source_row)) AS events
FROM access_log_scoped AS a
JOIN field_label_masks AS m USING (fields_text)
CROSS JOIN unnest(m.unknown_labels) AS u(label)
WHERE a.status <> 'rejected'
GROUP BY u.label
ORDER BY events DESC, u.label;
