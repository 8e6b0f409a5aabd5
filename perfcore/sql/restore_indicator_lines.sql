-- Copied lines get fresh ids from $first_line_id on, in line order.
INSERT INTO indicator_lines BY NAME
SELECT * REPLACE (
    $evaluation_id AS evaluation_id,
    $first_line_id - 1 + row_number() OVER (ORDER BY line_no) AS line_id
)
FROM indicator_lines
WHERE evaluation_id = $source;
