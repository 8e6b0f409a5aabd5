-- The files of one upload as stored, in upload order (`data` as encoded; see files.py).
SELECT file_no, name, size_bytes, sha256, encoding, data
FROM upload_files
WHERE upload_id = $upload_id
ORDER BY file_no;
