/**
 * Reading ClickHouse's `TabSeparatedWithNamesAndTypes` output, which every server version speaks and
 * which streams line by line: the escapes of its fields, and each column's values converted by the
 * column's ClickHouse type to what DuckDB takes.
 *
 * Conversions: (U)Int8-32, Float32/64 and Decimal → number (Decimal as a double); (U)Int64/128/256 →
 * bigint; String, FixedString (trailing NULs dropped), Enum, UUID, IPv4/6 → string; Bool → boolean;
 * Date/DateTime/DateTime64 → Date (the instant, read in the column's or else the server's time zone);
 * Nullable(T) → null or T; LowCardinality(T) → T; Array(T) → array of T. Other types stay text.
 */

const UNESCAPE: Record<string, string> = { b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", "0": "\0", a: "\x07", v: "\v" };

/**
 * A field of TabSeparated output as the text it stands for (`\t`, `\n`, `\\`, `\'`, `\0` …).
 * @example unescapeTsv("a\\tb") // "a\tb"
 */
export function unescapeTsv(field: string): string {
  if (!field.includes("\\")) return field;
  return field.replace(/\\(x[0-9A-Fa-f]{2}|.)/gs, (_, c: string) =>
    c.length === 3 ? String.fromCharCode(parseInt(c.slice(1), 16)) : (UNESCAPE[c] ?? c),
  );
}

/** Turns one raw (still escaped) field of a column into its value. */
export type FieldDecoder = (raw: string) => unknown;

/** Splits `Name(args)` into name and the top-level comma-separated args. */
function parseType(type: string): { name: string; args: string[] } {
  const open = type.indexOf("(");
  if (open < 0 || !type.endsWith(")")) return { name: type.trim(), args: [] };
  const inner = type.slice(open + 1, -1);
  const args: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i];
    if (quoted) {
      if (c === "\\") i++;
      else if (c === "'") quoted = false;
    } else if (c === "'") quoted = true;
    else if (c === "(") depth++;
    else if (c === ")") depth--;
    else if (c === "," && depth === 0) {
      args.push(inner.slice(start, i).trim());
      start = i + 1;
    }
  }
  args.push(inner.slice(start).trim());
  return { name: type.slice(0, open).trim(), args };
}

const unquote = (arg: string | undefined) => (arg ? arg.replace(/^'(.*)'$/, "$1") : undefined);

/**
 * The decoder for a column of the given ClickHouse type; `serverTimeZone` reads DateTime columns that
 * carry no zone of their own.
 * @example fieldDecoder("Nullable(Int64)", "UTC")("\\N") // null
 */
export function fieldDecoder(type: string, serverTimeZone: string): FieldDecoder {
  const { name, args } = parseType(type);
  switch (name) {
    case "Nullable": {
      const inner = fieldDecoder(args[0]!, serverTimeZone);
      return (raw) => (raw === "\\N" ? null : inner(raw));
    }
    case "LowCardinality":
      return fieldDecoder(args[0]!, serverTimeZone);
    case "Array": {
      const element = fieldDecoder(args[0]!, serverTimeZone);
      // Arrays are written in their quoted form (`['it\'s',NULL]`) without a second TSV escaping.
      return (raw) => parseArray(raw, element);
    }
    case "Int8":
    case "Int16":
    case "Int32":
    case "UInt8":
    case "UInt16":
    case "UInt32":
    case "Float32":
    case "Float64":
    case "Decimal":
    case "Decimal32":
    case "Decimal64":
    case "Decimal128":
    case "Decimal256":
      return parseNumber;
    case "Int64":
    case "UInt64":
    case "Int128":
    case "UInt128":
    case "Int256":
    case "UInt256":
      return (raw) => BigInt(raw);
    case "Bool":
      return (raw) => raw === "true" || raw === "1";
    case "FixedString":
      return (raw) => unescapeTsv(raw).replace(/\0+$/, "");
    case "Date":
    case "Date32":
      return parseDate;
    case "DateTime":
      return dateTimeDecoder(unquote(args[0]) ?? serverTimeZone);
    case "DateTime64":
      return dateTimeDecoder(unquote(args[1]) ?? serverTimeZone);
    case "Nothing":
      return () => null;
    default:
      return unescapeTsv;
  }
}

function parseNumber(raw: string): number {
  switch (raw) {
    case "inf":
    case "+inf":
      return Infinity;
    case "-inf":
      return -Infinity;
    case "nan":
    case "-nan":
      return NaN;
    default:
      return Number(raw);
  }
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?$/;

/**
 * Parses with `parse` through a bounded cache: dates repeat a lot in a result (order days), and the
 * regex and calendar arithmetic dominate reading them. Each value still gets its own Date object.
 */
function cachedTimes(parse: (raw: string) => number | undefined): FieldDecoder {
  const cache = new Map<string, number | undefined>();
  return (raw) => {
    let time = cache.get(raw);
    if (time === undefined && !cache.has(raw)) {
      time = parse(raw);
      if (cache.size >= 50_000) cache.clear();
      cache.set(raw, time);
    }
    return time === undefined ? raw : new Date(time);
  };
}

const parseDate = cachedTimes((raw) => {
  const m = DATE.exec(raw);
  if (!m) return undefined;
  // Old servers print the zero date as 0000-00-00; it is 1970-01-01 inside.
  if (raw === "0000-00-00") return 0;
  return Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!);
});

const UTC_ZONES = new Set(["UTC", "Etc/UTC", "GMT", "Etc/GMT", "UCT", "Etc/UCT", "Zulu", "Etc/Zulu", "Universal"]);

function dateTimeDecoder(timeZone: string): FieldDecoder {
  const toUtc = UTC_ZONES.has(timeZone) ? (wall: number) => wall : zoneToUtc(timeZone);
  return cachedTimes((raw) => {
    const m = DATE_TIME.exec(raw);
    if (!m) return undefined;
    if (raw.startsWith("0000-00-00")) return 0;
    const ms = m[7] ? Math.round(Number(`0.${m[7]}`) * 1000) : 0;
    return toUtc(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!, ms));
  });
}

/** Maps a wall-clock time in `timeZone` (as if it were UTC) to the UTC instant, via Intl's offsets. */
function zoneToUtc(timeZone: string): (wall: number) => number {
  const format = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
    second: "numeric",
  });
  const offset = (instant: number) => {
    const p = Object.fromEntries(format.formatToParts(instant).map((x) => [x.type, Number(x.value)]));
    const asUtc = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
    return asUtc - (instant - (((instant % 1000) + 1000) % 1000));
  };
  return (wall) => {
    const first = wall - offset(wall);
    return wall - offset(first);
  };
}

/** Parses ClickHouse's quoted array text (`[1,2]`, `['a','b\'c']`, `[NULL,[3]]`) with `element` per item. */
function parseArray(text: string, element: FieldDecoder): unknown {
  let i = 0;
  const value = (): unknown => {
    if (text[i] === "[") {
      i++;
      const items: unknown[] = [];
      while (i < text.length && text[i] !== "]") {
        items.push(value());
        if (text[i] === ",") i++;
      }
      i++;
      return items;
    }
    if (text[i] === "'") {
      let s = "";
      i++;
      while (i < text.length && text[i] !== "'") {
        if (text[i] === "\\") {
          s += text.slice(i, i + 2);
          i += 2;
        } else s += text[i++];
      }
      i++;
      // Quoted items use the same backslash escapes as TSV fields, which is what element decoders take.
      return element(s);
    }
    const start = i;
    while (i < text.length && text[i] !== "," && text[i] !== "]") i++;
    const token = text.slice(start, i);
    return token === "NULL" ? null : element(token);
  };
  return value();
}
