-- Actual ÷ target (%) of the numeric indicator lines matching $level2 (LIKE), as box-plot
-- statistics per year and indicator name, for the $names most frequent names.
WITH ratios AS (
    SELECT year, name, actual_number / target_number * 100 AS ratio
    FROM scoped_indicator_lines($years, $departments, $projects, $grades, $rule_set, $as_of)
    WHERE level2 LIKE $level2 AND target_number <> 0 AND actual_number IS NOT NULL
),
names AS (
    SELECT name FROM ratios GROUP BY name ORDER BY count(*) DESC, name LIMIT $names
)
SELECT
    year, name,
    count(*) AS n,
    min(ratio) AS low,
    quantile_cont(ratio, 0.25) AS q1,
    median(ratio) AS median,
    quantile_cont(ratio, 0.75) AS q3,
    max(ratio) AS high
FROM ratios
SEMI JOIN names USING (name)
GROUP BY year, name
ORDER BY year, name;
