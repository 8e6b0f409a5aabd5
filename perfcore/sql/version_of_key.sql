-- One stored version of a key, and the key's highest version.
SELECT
    (SELECT evaluation_id FROM evaluations
     WHERE year = $year AND department = $department AND project = $project
       AND version = $version) AS evaluation_id,
    (SELECT is_current FROM evaluations
     WHERE year = $year AND department = $department AND project = $project
       AND version = $version) AS is_current,
    (SELECT max(version) FROM evaluations
     WHERE year = $year AND department = $department AND project = $project) AS latest;
