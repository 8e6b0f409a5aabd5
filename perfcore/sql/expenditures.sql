-- Spending items (支出明细) with their share of the evaluation's spending.
SELECT
    e.evaluation_id, e.year, e.department, e.project,
    x.line_no, x.item, x.executed, x.annual_budget,
    x.executed / nullif(sum(x.executed) OVER (PARTITION BY e.evaluation_id), 0) AS share
FROM scoped_evaluations($years, $departments, $projects, $grades, $rule_set, $as_of) AS e
JOIN expenditures AS x USING (evaluation_id)
ORDER BY e.year DESC, e.department, e.project, x.executed DESC, x.line_no;
