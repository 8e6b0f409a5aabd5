-- The years and departments the filter widgets offer (projects: project_options.sql): those
-- of current evaluations in the viewer's allowed departments ($allowed: NULL = every one).
SELECT
    coalesce(list_reverse_sort(list(DISTINCT year)), []) AS years,
    coalesce(list_sort(list(DISTINCT department)), []) AS departments
FROM evaluations
WHERE is_current
  AND (CAST($allowed AS VARCHAR[]) IS NULL OR list_contains(CAST($allowed AS VARCHAR[]), department));
