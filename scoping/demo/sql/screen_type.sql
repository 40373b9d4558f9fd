-- The screen enum type of the events table: every screen (action) that appears in the log.
-- Parameters: $screens
CREATE TYPE screen AS ENUM (SELECT unnest($screens));
