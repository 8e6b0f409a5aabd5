-- Spending items (支出明细) summed by item name over the evaluations in scope: the $top − 1
-- biggest items, then the rest merged into one 其他（合并） row when there are more than $top.
WITH items AS (
    SELECT x.item, sum(x.executed) AS executed
    FROM scoped_evaluations($years, $departments, $projects, $grades, $rule_set, $as_of) AS e
    JOIN expenditures AS x USING (evaluation_id)
    GROUP BY x.item
),
ranked AS (
    SELECT *, row_number() OVER (ORDER BY executed DESC, item) AS n, count(*) OVER () AS total
    FROM items
)
SELECT
    CASE WHEN total > $top AND n >= $top THEN '其他（合并）' ELSE item END AS item,
    sum(executed) AS executed
FROM ranked
GROUP BY ALL
ORDER BY min(n);
