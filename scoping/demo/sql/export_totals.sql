-- How many exports the exports table holds and how many log rows they write.
-- Parameters: none
SELECT count(*), coalesce(sum(size), 0) FROM exports;
