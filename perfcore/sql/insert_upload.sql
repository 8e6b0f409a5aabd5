INSERT INTO uploads (
    upload_id, sha256, file_names, size_bytes, n_rows, n_evaluations,
    uploaded_by, uploaded_at, status, data_version
)
VALUES (
    $upload_id, $sha256, $file_names, $size_bytes, $n_rows, $n_evaluations,
    $uploaded_by, $uploaded_at, 'stored', $data_version
);
