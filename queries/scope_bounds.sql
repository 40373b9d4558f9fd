-- Sets the variable scope_bounds: scope_window's instants as constants, which the log steps
-- compare every row with. A constant, unlike a subquery on scope_window, is a plain filter:
-- DuckDB tests it while it reads the rows, and parses the rest of a row only when it is kept.
-- Parameters: none
SET VARIABLE scope_bounds = (
    SELECT {'start_utc': start_utc, 'end_utc': end_utc}
    FROM scope_window
);
