-- The highest version stored so far for each key of an upload (0 = a new key).
SELECT k.year, k.department, k.project, coalesce(max(e.version), 0) AS version
FROM new_keys AS k
LEFT JOIN evaluations AS e USING (year, department, project)
GROUP BY ALL;
