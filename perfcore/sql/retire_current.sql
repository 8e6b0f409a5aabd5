-- The versions an upload replaces stop being current; they stay stored.
UPDATE evaluations AS e
SET is_current = false
FROM new_keys AS k
WHERE e.is_current
  AND e.year = k.year AND e.department = k.department AND e.project = k.project;
