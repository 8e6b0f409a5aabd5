-- Which of the project names a link or the current selection names ($names) exist among the
-- current evaluations in the viewer's allowed departments ($allowed: NULL = every department).
SELECT DISTINCT project
FROM evaluations
WHERE is_current
  AND list_contains(CAST($names AS VARCHAR[]), project)
  AND (CAST($allowed AS VARCHAR[]) IS NULL
       OR list_contains(CAST($allowed AS VARCHAR[]), department))
ORDER BY project;
