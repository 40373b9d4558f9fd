-- Defines record_keys(t): the customer keys one access-log cell names when the case says
-- the record column lists several (case_options.record_list), as a list of keys as the log
-- wrote them (through clean_text), without blanks, every mention kept: 'json' reads a JSON
-- array (NULL when the cell is not one: the row is rejected); otherwise the cell is split on
-- that separator. The keys are compared after normalize_key (access_log_parsed).
-- Parameters: none
CREATE OR REPLACE MACRO record_keys(t) AS
    list_filter(
        list_transform(
            CASE
                WHEN getvariable('case_options').record_list = 'json' THEN
                    CASE
                        WHEN json_valid(t) AND json_type(t) = 'ARRAY'
                            THEN list_transform(
                                CAST(json_extract(t, '$[*]') AS JSON[]), lambda j: j ->> '$'
                            )
                    END
                ELSE string_split(t, getvariable('case_options').record_list)
            END,
            lambda k: clean_text(k)
        ),
        lambda k: k IS NOT NULL
    );
