-- The first instant of every UTC month that holds an hour of the extract: one log file each.
-- Parameters: none
SELECT DISTINCT date_trunc('month', hour_utc) AS m FROM day_slots ORDER BY m;
