-- Funds execution summed per year and department (amounts as scored: the 年度资金总额 row,
-- or its sources when that row is empty), with the mean computed total.
SELECT
    year, department,
    count(*) AS n_evaluations,
    sum(initial_budget) AS initial_budget,
    sum(annual_budget) AS annual_budget,
    sum(executed) AS executed,
    CASE WHEN sum(annual_budget) > 0 THEN sum(executed) / sum(annual_budget) END
        AS execution_rate,
    avg(total_computed) AS mean_total_computed
FROM scoped_evaluations($years, $departments, $projects, $grades, $rule_set, $as_of)
GROUP BY ALL
ORDER BY year DESC, department;
