-- Affected persons per channel, per language and per wave status (new, expanded,
-- already_notified); a channel of 'none' means no usable channel.
-- Parameters: none
SELECT 'channel' AS dimension, coalesce(channel, 'none') AS value, count(*) AS persons
FROM recipients GROUP BY ALL
UNION ALL
SELECT 'language', language, count(*) FROM recipients GROUP BY ALL
UNION ALL
SELECT 'wave_status', wave_status, count(*) FROM recipients GROUP BY ALL
ORDER BY dimension, persons DESC, value;
