-- Actions that are not in their source's action map, on rows that would otherwise be in scope
-- (usable, actor in scope, inside the window, naming no fields of their own: the
-- out_of_scope_action lines of access_log_scoped), with the source (its number and name) and
-- the number of rows each. The case's unmapped policy decides what happens to them.
-- Parameters: none
SELECT
    a.log_source,
    getvariable('case_options').sources[a.log_source].name AS source,
    a.action,
    count(DISTINCT (a.source_file, a.source_row)) AS events
FROM access_log_scoped AS a
WHERE a.status = 'out_of_scope_action'
GROUP BY a.log_source, a.action
ORDER BY events DESC, a.log_source, a.action;
