INSERT INTO expenditures BY NAME
SELECT * REPLACE ($evaluation_id AS evaluation_id)
FROM expenditures
WHERE evaluation_id = $source;
