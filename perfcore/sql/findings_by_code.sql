-- Findings of the evaluations in scope counted per severity and code (the same findings as
-- findings.sql): errors first, then the most frequent.
SELECT f.severity, f.code, count(*) AS n
FROM scoped_evaluations($years, $departments, $projects, $grades, $rule_set, $as_of) AS e
JOIN findings AS f ON f.evaluation_id = e.evaluation_id
WHERE f.rule_set IS NULL OR (f.rule_set = e.rule_set AND f.data_version = e.score_version)
GROUP BY f.severity, f.code
ORDER BY CASE f.severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, n DESC, f.code;
