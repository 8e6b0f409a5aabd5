-- A restore copies the old version's row into a new, current version; the old one stays.
INSERT INTO evaluations BY NAME
SELECT * REPLACE (
    $evaluation_id AS evaluation_id,
    $new_version AS version,
    true AS is_current,
    version AS restored_from,
    $data_version AS data_version,
    $created_at AS created_at,
    $created_by AS created_by
)
FROM evaluations
WHERE evaluation_id = $source;
