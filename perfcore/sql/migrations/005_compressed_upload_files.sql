-- Uploaded files are kept zlib-compressed (encoding 'zlib'); files stored before stay as they
-- were ('identity'). A province's upload is 40 files of up to 30 MB: DuckDB keeps each BLOB
-- of an open transaction in one memory block, and 10^5 evaluations in one upload failed to
-- commit under the 512 MB memory limit. Compressed, the CSV files take about a tenth.
ALTER TABLE upload_files ADD COLUMN encoding VARCHAR DEFAULT 'identity';
ALTER TABLE upload_files ALTER COLUMN encoding SET NOT NULL;
