/**
 * ClickHouse query parameters, both ways: `{name:Type}` placeholders bound natively by servers that
 * have query parameters (the value travels as `param_name=` text, parsed as Type by the server), and,
 * for servers too old for them (Debian's 18.16), a typed literal encoder that substitutes each
 * placeholder with `CAST('<text>' AS Type)`. Both hand the server the same text to parse as the same
 * type, which is why the two paths give identical results (test/engine/remote/literal-encoder.test.ts
 * proves it on a current ClickHouse). Values never become SQL text any other way.
 */
import { RemoteError, type RemoteParam } from "./remote-engine.ts";

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** A type name as written in a placeholder: `String`, `Nullable(Int64)`, `DateTime('UTC')`, `Decimal(18, 2)`. */
const TYPE = /^[A-Za-z][A-Za-z0-9_]*(\((?:[A-Za-z0-9_ ,()]|'[A-Za-z0-9_/+-]*')*\))?$/;

/**
 * The ClickHouse type a JS value is bound as: strings `String`, safe integers `Int64`, other numbers
 * `Float64`, bigints `Int64`/`UInt64`/`Int128`, booleans `UInt8` (0/1; 18.16 has no Bool), null
 * `Nullable(String)`, Dates `DateTime('UTC')` (`DateTime64(3, 'UTC')` when they have milliseconds).
 * @example clickHouseParamType(42) // "Int64"
 */
export function clickHouseParamType(value: RemoteParam): string {
  if (value === null) return "Nullable(String)";
  switch (typeof value) {
    case "string":
      return "String";
    case "boolean":
      return "UInt8";
    case "number":
      return Number.isSafeInteger(value) ? "Int64" : "Float64";
    case "bigint":
      if (value >= -(2n ** 63n) && value < 2n ** 63n) return "Int64";
      if (value >= 0n && value < 2n ** 64n) return "UInt64";
      if (value >= -(2n ** 127n) && value < 2n ** 127n) return "Int128";
      throw new RemoteError("query", `the value ${value} is too large for a ClickHouse integer (Int128)`);
  }
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new RemoteError("query", "a parameter is an invalid Date");
    return value.getUTCMilliseconds() === 0 ? "DateTime('UTC')" : "DateTime64(3, 'UTC')";
  }
  throw new RemoteError("query", `a parameter of type ${typeof value} cannot be sent to ClickHouse`);
}

/**
 * The placeholder for a named parameter: `{name:Type}` with the type of {@link clickHouseParamType}.
 * @example clickHouseSqlPlaceholder("country", "UK") // "{country:String}"
 */
export function clickHouseSqlPlaceholder(name: string, value: RemoteParam): string {
  if (!NAME.test(name))
    throw new RemoteError("query", `"${name}" cannot name a ClickHouse parameter: use letters, digits and _`);
  return `{${name}:${clickHouseParamType(value)}}`;
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/**
 * The plain text the server parses as the parameter's type (null stays null): numbers as JS prints
 * them (`nan`, `inf`, `-inf` for the non-finite), booleans 1/0, Dates `YYYY-MM-DD hh:mm:ss[.mmm]` in UTC.
 * @example clickHouseValueText(new Date("2024-05-01T10:00:00Z")) // "2024-05-01 10:00:00"
 */
export function clickHouseValueText(value: RemoteParam): string | null {
  if (value === null) return null;
  if (typeof value === "string") return value;
  if (typeof value === "boolean") return value ? "1" : "0";
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "number") {
    if (Number.isNaN(value)) return "nan";
    if (!Number.isFinite(value)) return value > 0 ? "inf" : "-inf";
    // Exponent notation (1e+21, 5e-7) parses in every ClickHouse; "-0" keeps its sign.
    return Object.is(value, -0) ? "-0" : String(value);
  }
  clickHouseParamType(value); // throws for invalid Dates and foreign types
  const d = value;
  const text =
    `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  return d.getUTCMilliseconds() === 0 ? text : `${text}.${pad(d.getUTCMilliseconds(), 3)}`;
}

const ESCAPES: Record<string, string> = {
  "\\": "\\\\",
  "\0": "\\0",
  "\b": "\\b",
  "\f": "\\f",
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
  "'": "\\'",
};

/**
 * A value's text as sent in `param_name=`: ClickHouse reads it with its escaped (TSV) rules, so
 * backslashes and control characters are escaped and null is `\N`.
 * @example clickHouseParamText("a\tb") // "a\\tb"
 */
export function clickHouseParamText(value: RemoteParam): string {
  const text = clickHouseValueText(value);
  return text === null ? "\\N" : text.replace(/[\\\0\b\f\n\r\t]/g, (c) => ESCAPES[c]!);
}

/**
 * A quoted ClickHouse string literal. Only `\` and `'` can end a literal early; both are escaped
 * (the backslash first, in the same pass), as are NUL and control characters for a clean round trip.
 * Everything else, including any Unicode quote look-alike, is data inside the quotes.
 * @example clickHouseStringLiteral("O'Brien") // "'O\\'Brien'"
 */
export function clickHouseStringLiteral(text: string): string {
  return `'${text.replace(/[\\\0\b\f\n\r\t']/g, (c) => ESCAPES[c]!)}'`;
}

/**
 * The typed literal that stands for a parameter on servers without query parameters:
 * `CAST('<text>' AS Type)`, so the server parses the same text as the same type as it would a bound
 * parameter. Type comes from the query's own placeholder and is checked to be a type name.
 * @example clickHouseLiteral(5, "UInt32") // "CAST('5' AS UInt32)"
 */
export function clickHouseLiteral(value: RemoteParam, type: string): string {
  if (!TYPE.test(type)) throw new RemoteError("query", `"${type}" is not a ClickHouse type name`);
  const text = clickHouseValueText(value);
  return `CAST(${text === null ? "NULL" : clickHouseStringLiteral(text)} AS ${type})`;
}

/** A `{name:Type}` placeholder found in SQL, outside strings, quoted identifiers and comments. */
export interface ClickHousePlaceholder {
  name: string;
  type: string;
  start: number;
  end: number;
}

/**
 * The placeholders of a query, skipping string literals, quoted identifiers and comments (a value
 * that contains `{x:String}` text is data, as the server's own lexer sees it).
 * @example findClickHousePlaceholders("SELECT {a:Int64}, '{b:String}'") // [{name: "a", type: "Int64", ...}]
 */
export function findClickHousePlaceholders(sql: string): ClickHousePlaceholder[] {
  const found: ClickHousePlaceholder[] = [];
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    if (c === "'" || c === '"' || c === "`") {
      i = skipQuoted(sql, i, c);
    } else if (c === "-" && sql[i + 1] === "-") {
      i = lineEnd(sql, i);
    } else if (c === "/" && sql[i + 1] === "*") {
      const end = sql.indexOf("*/", i + 2);
      i = end < 0 ? sql.length : end + 2;
    } else if (c === "{") {
      const match = /^\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*:\s*([^{}]+?)\s*\}/.exec(sql.slice(i));
      if (match) {
        found.push({ name: match[1]!, type: match[2]!, start: i, end: i + match[0].length });
        i += match[0].length;
      } else i++;
    } else i++;
  }
  return found;
}

function lineEnd(sql: string, from: number): number {
  const end = sql.indexOf("\n", from);
  return end < 0 ? sql.length : end + 1;
}

/** Index after the literal or identifier opened by `quote` at `from` (backslash escapes, doubled quotes). */
function skipQuoted(sql: string, from: number, quote: string): number {
  let i = from + 1;
  while (i < sql.length) {
    const c = sql[i]!;
    if (c === "\\") i += 2;
    else if (c === quote) {
      if (sql[i + 1] === quote) i += 2;
      else return i + 1;
    } else i++;
  }
  return sql.length;
}

/**
 * The query with every placeholder replaced by its typed literal ({@link clickHouseLiteral}), for
 * servers without query parameters. A placeholder without a value is an error naming it.
 * @example bindClickHouseLiterals("SELECT {n:Int64}", { n: 5 }) // "SELECT CAST('5' AS Int64)"
 */
export function bindClickHouseLiterals(sql: string, params: Readonly<Record<string, RemoteParam>>): string {
  let out = "";
  let last = 0;
  for (const p of findClickHousePlaceholders(sql)) {
    if (!Object.hasOwn(params, p.name))
      throw new RemoteError("query", `the query uses {${p.name}:${p.type}} but no value named "${p.name}" was given`);
    out += sql.slice(last, p.start) + clickHouseLiteral(params[p.name]!, p.type);
    last = p.end;
  }
  return out + sql.slice(last);
}
