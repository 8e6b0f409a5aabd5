SELECT * FROM funds_lines ORDER BY evaluation_id, line_no;
