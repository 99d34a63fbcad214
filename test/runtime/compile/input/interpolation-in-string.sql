SELECT '${x}' AS literal
