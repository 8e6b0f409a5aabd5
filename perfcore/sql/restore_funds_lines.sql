INSERT INTO funds_lines BY NAME
SELECT * REPLACE ($evaluation_id AS evaluation_id)
FROM funds_lines
WHERE evaluation_id = $source;
