-- Sets the variable timestamp_formats: the case's access-log timestamp formats, split into
-- `naive` (local times) and `aware` (with %z), each NULL when the case lists none of that
-- kind. A variable, because DuckDB's strptime needs its formats as a constant.
-- Parameters: $naive_formats, $aware_formats
SET VARIABLE timestamp_formats = {
    'naive': CAST($naive_formats AS VARCHAR[]),
    'aware': CAST($aware_formats AS VARCHAR[])
};
