INSERT INTO upload_files (upload_id, file_no, name, size_bytes, sha256, data, encoding)
VALUES ($upload_id, $file_no, $name, $size_bytes, $sha256, $data, $encoding);
