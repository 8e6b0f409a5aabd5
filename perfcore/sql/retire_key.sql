UPDATE evaluations SET is_current = false
WHERE is_current AND year = $year AND department = $department AND project = $project;
