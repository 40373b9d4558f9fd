-- Redefines csv_safe(v) as the value itself, for the .xlsx recipient files, which are
-- written after the CSV files: every value there is a text cell, which a spreadsheet shows
-- as written and never runs as a formula, so no value gets the CSV files' leading apostrophe.
-- Parameters: none
CREATE OR REPLACE MACRO csv_safe(v) AS v;
