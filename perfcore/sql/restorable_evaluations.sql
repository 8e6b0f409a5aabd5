-- Evaluations with more than one stored version — the only ones a restore can change — in the
-- viewer's allowed departments ($allowed: a list, NULL = every department), newest year first.
SELECT year, department, project, count(*) AS n_versions
FROM evaluations
WHERE CAST($allowed AS VARCHAR[]) IS NULL
   OR list_contains(CAST($allowed AS VARCHAR[]), department)
GROUP BY ALL
HAVING count(*) > 1
ORDER BY year DESC, department, project;
