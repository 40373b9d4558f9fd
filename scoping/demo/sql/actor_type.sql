-- The actor_id enum type of the events table: every account that appears in the log.
-- Parameters: $ids
CREATE TYPE actor_id AS ENUM (SELECT unnest($ids));
