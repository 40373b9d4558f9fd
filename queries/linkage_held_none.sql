-- An empty linkage_held table (see linkage_held.sql), for the identity rule alone: the review
-- queue reads it either way.
-- Parameters: none
CREATE OR REPLACE TABLE linkage_held (a VARCHAR, b VARCHAR, reason VARCHAR);
