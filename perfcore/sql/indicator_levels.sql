-- Weight and computed score per 一级/二级 indicator over the evaluations in scope: the indicator
-- tree across many evaluations (counted lines with a weight only, so nothing counts twice).
SELECT level1, level2, sum(weight) AS weight, sum(score_computed) AS score_computed
FROM scoped_indicator_lines($years, $departments, $projects, $grades, $rule_set, $as_of)
WHERE counted AND weight > 0
GROUP BY level1, level2
ORDER BY min(line_no), level1, level2;
