-- Every indicator line in scope: target and actual as written and as parsed, reported and
-- computed score, the points lost and how the computed score came about.
SELECT *
FROM scoped_indicator_lines($years, $departments, $projects, $grades, $rule_set, $as_of)
ORDER BY year DESC, department, project, line_no;
