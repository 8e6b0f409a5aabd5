-- 成本指标 lines across evaluations.
SELECT *
FROM scoped_indicator_lines($years, $departments, $projects, $grades, $rule_set, $as_of)
WHERE level2 LIKE '%成本%'
ORDER BY year DESC, department, project, line_no;
