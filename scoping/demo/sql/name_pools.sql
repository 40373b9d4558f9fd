-- The name_pools table: one row per origin (a language, or `xx` for names from elsewhere)
-- with its lists of first names, last names and street names (the data files).
-- Parameters: $origins, $first_names, $last_names, $streets
CREATE OR REPLACE TEMP TABLE name_pools AS
SELECT unnest($origins) AS origin, unnest($first_names) AS first_names,
       unnest($last_names) AS last_names, unnest($streets) AS streets;
