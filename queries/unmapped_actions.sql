-- Actions that are not in the action map, on rows that would otherwise be in scope (usable,
-- actor in scope, inside the window, naming no fields of their own), with the number of rows
-- each. The case's unmapped policy decides what happens to them.
-- Parameters: none
SELECT a.action, count(DISTINCT (a.source_file, a.source_row)) AS events
FROM access_log AS a
WHERE a.reject_reason IS NULL
  AND a.fields_text IS NULL
  AND a.actor IN (SELECT actor FROM scope_actors)
  AND coalesce(a.ts >= (SELECT start_utc FROM scope_window), true)
  AND coalesce(a.ts < (SELECT end_utc FROM scope_window), true)
  AND a.action NOT IN (SELECT action FROM action_map)
GROUP BY a.action
ORDER BY events DESC, a.action;
