-- The values the filter widgets offer: those of current evaluations in the viewer's allowed
-- departments ($allowed: a list, NULL = every department).
SELECT
    coalesce(list_reverse_sort(list(DISTINCT year)), []) AS years,
    coalesce(list_sort(list(DISTINCT department)), []) AS departments,
    coalesce(list_sort(list(DISTINCT project)), []) AS projects
FROM evaluations
WHERE is_current
  AND (CAST($allowed AS VARCHAR[]) IS NULL OR list_contains(CAST($allowed AS VARCHAR[]), department));
