-- How many days of each kind (any, work) lie inside and outside the window: the ranges of
-- day_slots.day_rank.
-- Parameters: none
SELECT count(DISTINCT day) FILTER (kind = 'any' AND inside),
       count(DISTINCT day) FILTER (kind = 'any' AND NOT inside),
       count(DISTINCT day) FILTER (kind = 'work' AND inside),
       count(DISTINCT day) FILTER (kind = 'work' AND NOT inside)
FROM day_slots;
