-- Defines record_keys(t): the customer keys one access-log row names, as a list of
-- normalize_key'd keys without blanks. With case_options.record_list NULL the cell is one
-- key; 'json' reads a JSON array (NULL when the cell is not one: the row is rejected);
-- otherwise the cell is split on that separator.
-- Parameters: none
CREATE OR REPLACE MACRO record_keys(t) AS
    list_filter(
        list_transform(
            CASE
                WHEN getvariable('case_options').record_list IS NULL THEN [t]
                WHEN getvariable('case_options').record_list = 'json' THEN
                    CASE
                        WHEN json_valid(t) AND json_type(t) = 'ARRAY'
                            THEN list_transform(
                                CAST(json_extract(t, '$[*]') AS JSON[]), lambda j: j ->> '$'
                            )
                    END
                ELSE string_split(t, getvariable('case_options').record_list)
            END,
            lambda k: normalize_key(k)
        ),
        lambda k: k IS NOT NULL
    );
