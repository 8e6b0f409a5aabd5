-- Rule sets whose latest run for some current evaluation was made by an older scoring engine
-- ($engine = perfcore.scoring.ENGINE_VERSION), with how many current evaluations that concerns.
WITH latest AS (
    SELECT s.rule_set, s.engine
    FROM scores AS s
    JOIN evaluations AS e ON e.evaluation_id = s.evaluation_id
    WHERE e.is_current
    QUALIFY s.data_version = max(s.data_version) OVER (PARTITION BY s.evaluation_id, s.rule_set)
)
SELECT rule_set, count(*) AS evaluations
FROM latest
WHERE coalesce(engine, 0) < $engine
GROUP BY rule_set
ORDER BY rule_set;
