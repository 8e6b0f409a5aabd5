-- Every funds row (年度资金总额 and its sources) of the evaluations in scope.
SELECT
    e.evaluation_id, e.year, e.department, e.project,
    f.line_no, f.source, f.initial_budget, f.annual_budget, f.executed,
    CASE WHEN f.annual_budget > 0 THEN f.executed / f.annual_budget END AS execution_rate,
    f.execution_rate_reported, f.weight, f.score_reported
FROM scoped_evaluations($years, $departments, $projects, $grades, $rule_set, $as_of) AS e
JOIN funds_lines AS f USING (evaluation_id)
ORDER BY e.year DESC, e.department, e.project, f.line_no;
