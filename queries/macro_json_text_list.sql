-- Defines json_text_list(t): the elements of the JSON array t, each as text (a string
-- without its quotes, any other value as JSON writes it), or NULL when t is not a JSON
-- array. The one rule of record lists that each engine writes its own way: on Spark it is
-- from_json(t, 'array<string>') (scoping/spark.py).
-- Parameters: none
CREATE OR REPLACE MACRO json_text_list(t) AS
    CASE
        WHEN json_valid(t) AND json_type(t) = 'ARRAY'
            THEN list_transform(CAST(json_extract(t, '$[*]') AS JSON[]), lambda j: j ->> '$')
    END;
