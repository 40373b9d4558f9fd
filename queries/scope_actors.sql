-- The accounts in scope ([scope] actors and actors_file, trimmed, distinct), from one list:
-- a scope can name a million accounts.
-- Parameters: $actors
CREATE OR REPLACE TABLE scope_actors AS
SELECT unnest(CAST($actors AS VARCHAR[])) AS actor;
