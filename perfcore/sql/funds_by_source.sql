-- Funds rows summed per source (年度资金总额, 当年财政拨款, 上年结转资金, …) over the
-- evaluations in scope, in the order the table lists them.
SELECT
    f.source,
    sum(f.initial_budget) AS initial_budget,
    sum(f.annual_budget) AS annual_budget,
    sum(f.executed) AS executed,
    count(*) AS n_lines
FROM scoped_evaluations($years, $departments, $projects, $grades, $rule_set, $as_of) AS e
JOIN funds_lines AS f USING (evaluation_id)
GROUP BY f.source
ORDER BY min(f.line_no), f.source;
