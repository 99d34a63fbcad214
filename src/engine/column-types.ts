/**
 * What kind of value a DuckDB column type holds, answered once for every folder: the data profile,
 * the grid and value formatting, the editor's row types, the starter's column roles and the `seg`
 * functions that need numbers all ask here, so a type is numeric everywhere or nowhere.
 */

// DuckDB's integer types and the aliases its parser accepts (INT4, LONG, …), as DESCRIBE or a user writes them.
const INTEGER_TYPE =
  /^(TINYINT|SMALLINT|INTEGER|INT|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|INT[1248]|LONG|SHORT)$/;
const FLOAT_TYPE = /^(FLOAT|REAL|DOUBLE|FLOAT[48])$/;
const DECIMAL_TYPE = /^(DECIMAL|NUMERIC)(\s*\(\s*\d+\s*(,\s*\d+\s*)?\))?$/;

/**
 * Whether a DuckDB type is an integer of any width (signed or not). Case and surrounding spaces do
 * not matter.
 * @example isIntegerType("UBIGINT") // true; isIntegerType("DOUBLE") // false
 */
export function isIntegerType(type: string | undefined): boolean {
  return type !== undefined && INTEGER_TYPE.test(type.trim().toUpperCase());
}

/**
 * Whether a DuckDB type is a number: an integer of any width, FLOAT/REAL/DOUBLE or DECIMAL(p,s).
 * Lists (`DOUBLE[]`), BOOLEAN, dates and text are not. Case and surrounding spaces do not matter.
 * @example isNumericType("DECIMAL(18,3)") // true; isNumericType("DOUBLE[]") // false
 */
export function isNumericType(type: string | undefined): boolean {
  if (type === undefined) return false;
  const upper = type.trim().toUpperCase();
  return INTEGER_TYPE.test(upper) || FLOAT_TYPE.test(upper) || DECIMAL_TYPE.test(upper);
}
