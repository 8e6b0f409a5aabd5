-- Column types of a store table, so inserted Arrow tables get matching column types.
SELECT column_name, data_type
FROM duckdb_columns()
WHERE database_name = current_database() AND schema_name = 'main' AND table_name = $table
ORDER BY column_index;
