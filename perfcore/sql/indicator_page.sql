-- The indicator lines $line_ids (chosen by indicator_page_lines.sql) in full, in the page's
-- order: the most points lost first when $worst_first, else table order.
SELECT *
FROM scoped_indicator_lines($years, $departments, $projects, $grades, $rule_set, $as_of)
WHERE list_contains(CAST($line_ids AS BIGINT[]), line_id)
ORDER BY
    CASE WHEN $worst_first THEN lost_points END DESC NULLS LAST,
    year DESC, department, project, line_no;
