-- Sets the variable case_options, the case settings the macros and steps read:
--   naive_formats / aware_formats: the access log's timestamp formats (local times / with
--     %z), each NULL when the case lists none of that kind (then the shape decides);
--   record_list: how the record column lists several keys: NULL (one key per row), 'json'
--     (a JSON array) or a separator such as ';';
--   fields_separator: the separator of the column naming the fields an event displayed;
--   strip_key_zeros: whether all-digit keys lose their leading zeros (both extracts);
--   missing_values: per customer field (the field's bit + 1), its placeholder values,
--     trimmed and lower-cased (macro_available).
-- A variable, because DuckDB's strptime needs its formats as a constant.
-- Parameters: $naive_formats, $aware_formats, $record_list, $fields_separator, $strip_key_zeros, $missing_values
SET VARIABLE case_options = {
    'naive_formats': CAST($naive_formats AS VARCHAR[]),
    'aware_formats': CAST($aware_formats AS VARCHAR[]),
    'record_list': CAST($record_list AS VARCHAR),
    'fields_separator': CAST($fields_separator AS VARCHAR),
    'strip_key_zeros': CAST($strip_key_zeros AS BOOLEAN),
    'missing_values': CAST($missing_values AS VARCHAR[][])
};
