-- The automatic probabilistic links the chain guard holds back, with the reason, empty:
-- linkage_held_chains fills it with the method `probabilistic`; the review queue reads it
-- either way.
-- Parameters: none
CREATE OR REPLACE TABLE linkage_held (a VARCHAR, b VARCHAR, reason VARCHAR);
