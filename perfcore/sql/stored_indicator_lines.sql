SELECT * FROM indicator_lines ORDER BY evaluation_id, line_no;
