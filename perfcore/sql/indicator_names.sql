-- Every distinct 三级指标 name stored (any version, any scoring run): what a name search
-- (perfcore/names.py) compares the searched text with. 72 names, 0.04 s at 10^5 evaluations.
SELECT DISTINCT name
FROM indicator_lines
WHERE name IS NOT NULL;
