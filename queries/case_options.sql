-- Sets the variable case_options, the case settings the macros and steps read:
--   sources: per access-log source, in the case's order (access_log_source(n) reads the n-th):
--     name; first_file and last_file, the source_file numbers of its files (a source's files
--     are numbered one after the other); log_timezone, the zone of its naive timestamps;
--     naive_formats / aware_formats, its timestamp formats (local times / with %z), each
--     NULL when it lists none of that kind (then the shape decides); record_list, how its
--     record column lists several keys: NULL (one key per row), 'json' (a JSON array),
--     'auto' (a JSON array when the cell is one, else record_separator's list, else one key)
--     or a separator such as ';'; fields_separator, the separator of its column naming the
--     fields an event displayed;
--   strip_key_zeros: whether all-digit keys lose their leading zeros (both extracts);
--   missing_values: per customer field (the field's bit + 1), its placeholder values,
--     trimmed and lower-cased (macro_available);
--   history: whether the case has the customers' history (without one, no exposed value
--     changed since, and the steps skip that aggregate).
-- A variable, because DuckDB's strptime needs its formats as a constant: a source's settings,
-- read with the literal number access_log_source is called with, are one.
-- Parameters: $sources, $strip_key_zeros, $missing_values, $history
SET VARIABLE case_options = {
    'sources': CAST($sources AS STRUCT(
        name VARCHAR,
        first_file INTEGER,
        last_file INTEGER,
        log_timezone VARCHAR,
        naive_formats VARCHAR[],
        aware_formats VARCHAR[],
        record_list VARCHAR,
        record_separator VARCHAR,
        fields_separator VARCHAR
    )[]),
    'strip_key_zeros': CAST($strip_key_zeros AS BOOLEAN),
    'missing_values': CAST($missing_values AS VARCHAR[][]),
    'history': CAST($history AS BOOLEAN)
};
