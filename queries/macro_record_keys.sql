-- Defines record_keys(t, kind, separator): the customer keys one access-log cell names when
-- its source says the record column lists several (case_options.sources[n].record_list), as
-- a list of keys as the log wrote them (through clean_text), without blanks, every mention
-- kept. `kind` 'json' reads a JSON array (NULL when the cell is not one: the row is
-- rejected); 'auto' reads a cell beginning with `[` as a JSON array (NULL when it is not one)
-- and any other cell as the list `separator` splits, or as one key when separator is NULL;
-- any other kind is the separator itself. The keys are compared after normalize_key
-- (access_log_parsed). The JSON array is read by json_text_list.
-- Parameters: none
CREATE OR REPLACE MACRO record_keys(t, kind, separator) AS
    list_filter(
        list_transform(
            CASE
                WHEN kind = 'json' OR (kind = 'auto' AND starts_with(t, '[')) THEN json_text_list(t)
                WHEN kind = 'auto' AND separator IS NULL THEN [t]
                WHEN kind = 'auto' THEN string_split(t, separator)
                ELSE string_split(t, kind)
            END,
            lambda k: clean_text(k)
        ),
        lambda k: k IS NOT NULL
    );
