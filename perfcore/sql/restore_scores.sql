-- The source's latest scoring run under each rule set becomes the copy's first run.
INSERT INTO scores BY NAME
SELECT * REPLACE ($evaluation_id AS evaluation_id, $data_version AS data_version)
FROM scores
WHERE evaluation_id = $source
QUALIFY data_version = max(data_version) OVER (PARTITION BY rule_set);
