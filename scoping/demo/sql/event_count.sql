-- How many rows the events table holds (checked against the number asked for).
-- Parameters: none
SELECT count(*) FROM events;
