/**
 * What a CSV load assumed about its columns, found with one SQL pass over the loaded relation:
 * ids read as DOUBLE (`17850.0`), numbers with thousand separators or mixed with text kept as
 * VARCHAR, dates in formats DuckDB did not parse, and whole numbers that are `yyyymmdd` dates. Thousand-separated numbers in a table are
 * converted (and the note says so); everything else is a note with the SQL that fixes it.
 */
import type { ColumnInfo } from "./engine.ts";
import type { RunSql } from "./catalog.ts";
import { quoteIdentifier, quoteString } from "./sql-text.ts";

/** Regular expressions (DuckDB `regexp_full_match` syntax) for the value shapes checked. */
const SHAPES = {
  number: "[-+]?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?",
  thousands: "[-+]?[0-9]{1,3}(,[0-9]{3})+(\\.[0-9]+)?",
  decimalComma: "[-+]?[0-9]+,[0-9]+",
  iso: "[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}",
  slash: "[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}",
  text: "[A-Za-z]{3,9}\\.? [0-9]{1,2},? [0-9]{4}",
} as const;

type Shape = keyof typeof SHAPES;

/**
 * Column `name` of `relation` (of its first `limit` rows when given) as its distinct values `v` with
 * how often each occurs (`k`). The text checks run once per distinct value instead of once per row,
 * and counts weighted by `k` are the per-row counts: a column of codes, dates or categories repeats
 * the same few thousand values over hundreds of thousands of rows.
 */
function valuesOf(relation: string, name: string, limit?: number): string {
  return `(SELECT ${quoteIdentifier(name)} AS v, count(*) AS k FROM ${rowsOf(relation, limit)} GROUP BY ALL)`;
}

/** One row of per-column aggregates (`parts(i)` over column i's distinct values), columns side by side. */
function perColumnSql(
  relation: string,
  columns: readonly string[],
  parts: (i: number) => string[],
  limit?: number,
): string {
  const rows = columns.map((name, i) => `(SELECT ${parts(i).join(", ")} FROM ${valuesOf(relation, name, limit)})`);
  return `SELECT * FROM ${rows.join(", ")}`;
}

/** How many rows have value `v` meeting `condition` (0 when none). */
const rowsWhere = (condition: string) => `coalesce(sum(k) FILTER (WHERE ${condition}), 0)::BIGINT`;

/** Per VARCHAR column: non-null count, a count per shape, first non-matching value, day/month hints. */
function varcharStatsSql(relation: string, columns: readonly string[], limit?: number): string {
  const v = "trim(v)";
  return perColumnSql(
    relation,
    columns,
    (i) => [
      `${rowsWhere("v IS NOT NULL")} AS "n_${i}"`,
      ...(Object.keys(SHAPES) as Shape[]).map(
        (shape) => `${rowsWhere(`regexp_full_match(${v}, ${quoteString(SHAPES[shape])})`)} AS "${shape}_${i}"`,
      ),
      `min(v) FILTER (WHERE NOT regexp_full_match(${v}, ${quoteString(SHAPES.number)})) AS "other_${i}"`,
      // Values without a digit ("n/a", "-", "unknown") stand for missing numbers; codes like "C123" do not.
      `${rowsWhere(`NOT regexp_matches(${v}, '[0-9]')`)} AS "nodigit_${i}"`,
      `min(v) FILTER (WHERE regexp_full_match(${v}, ${quoteString(SHAPES.thousands)})) AS "sep_${i}"`,
      `min(v) FILTER (WHERE regexp_full_match(${v}, ${quoteString(SHAPES.decimalComma)}) AND NOT regexp_full_match(${v}, ${quoteString(SHAPES.thousands)})) AS "comma_${i}"`,
      // A first part over 12 can only be a day; a second part over 12 only a day too.
      `${rowsWhere(`regexp_full_match(${v}, ${quoteString(SHAPES.slash)}) AND TRY_CAST(split_part(${v}, '/', 1) AS INTEGER) > 12`)} AS "dayfirst_${i}"`,
      `${rowsWhere(`regexp_full_match(${v}, ${quoteString(SHAPES.slash)}) AND TRY_CAST(split_part(${v}, '/', 2) AS INTEGER) > 12`)} AS "monthfirst_${i}"`,
    ],
    limit,
  );
}

/** Rows the first look at text columns reads. */
const STATS_SAMPLE = 20_000;

/** `relation`, or its first `limit` rows when a limit is given. */
function rowsOf(relation: string, limit?: number): string {
  return limit === undefined
    ? quoteIdentifier(relation)
    : `(SELECT * FROM ${quoteIdentifier(relation)} LIMIT ${limit})`;
}

/** Per column: whether any of the first `limit` values holds a digit (no digit, no note: see varcharNote). */
function digitsSql(relation: string, columns: readonly string[], limit: number): string {
  return perColumnSql(relation, columns, (i) => [`bool_or(regexp_matches(v, '[0-9]')) AS "digits_${i}"`], limit);
}

function doubleStatsSql(relation: string, columns: readonly string[], limit?: number): string {
  const parts = columns.flatMap((name, i) => {
    const c = quoteIdentifier(name);
    return [
      `count(${c}) AS "n_${i}"`,
      `count(*) FILTER (WHERE ${c} = trunc(${c}) AND abs(${c}) < 9e15) AS "whole_${i}"`,
      `min(${c}) AS "min_${i}"`,
    ];
  });
  return `SELECT ${parts.join(", ")} FROM ${rowsOf(relation, limit)}`;
}

function rowOf(result: Awaited<ReturnType<RunSql>>): Record<string, unknown> {
  return (result.get(0)?.toJSON() ?? {}) as Record<string, unknown>;
}

const num = (v: unknown) => Number(v ?? 0);

function dateNote(
  name: string,
  counts: Record<string, number | undefined>,
  dayFirst: number,
  monthFirst: number,
): string {
  const found: string[] = [];
  if (counts.iso) found.push("2024-01-31");
  if (dayFirst) found.push("31/01/2024");
  if (monthFirst) found.push("01/31/2024");
  if (counts.slash && !dayFirst && !monthFirst) found.push("01/02/2024");
  if (counts.text) found.push("Jan 31 2024");
  const q = quoteIdentifier(name);
  if (found.length > 1 || (dayFirst && monthFirst)) {
    return (
      `column ${name}: dates in several formats (${found.join(", ")}): ` +
      `kept as VARCHAR; parse with coalesce(TRY_STRPTIME(${q}, '%Y-%m-%d'), TRY_STRPTIME(${q}, '%d/%m/%Y'), ...)::DATE, choosing the order per source`
    );
  }
  if (counts.slash) {
    const format = dayFirst ? "%d/%m/%Y" : monthFirst ? "%m/%d/%Y" : undefined;
    if (!format) {
      return `column ${name}: dates like 01/02/2024 whose day/month order is ambiguous (no part over 12): kept as VARCHAR; parse with strptime(${q}, '%d/%m/%Y') or '%m/%d/%Y'`;
    }
    return `column ${name}: dates written ${dayFirst ? "day-first (31/01/2024)" : "month-first (01/31/2024)"}: kept as VARCHAR; parse with strptime(${q}, '${format}')::DATE`;
  }
  if (counts.text)
    return `column ${name}: dates written like "Jan 31 2024": kept as VARCHAR; parse with strptime(${q}, '%b %d %Y')::DATE`;
  return `column ${name}: ISO dates mixed with other values: kept as VARCHAR; parse with TRY_CAST(${q} AS DATE)`;
}

/** The note for one VARCHAR column's stats (index `i` in the stats row), and whether to convert it. */
function varcharNote(
  name: string,
  row: Record<string, unknown>,
  i: number,
  kind: "table" | "view",
): { note: string; convert?: "thousands" | "decimalComma" } | undefined {
  const n = num(row[`n_${i}`]);
  if (n === 0) return undefined;
  const counts = Object.fromEntries((Object.keys(SHAPES) as Shape[]).map((s) => [s, num(row[`${s}_${i}`])]));
  const q = quoteIdentifier(name);
  if (counts.thousands! > 0 && counts.thousands! + counts.number! === n) {
    const example = JSON.stringify(String(row[`sep_${i}`]));
    if (kind === "table") {
      return {
        note: `column ${name}: numbers with thousand separators (${example}): read as DOUBLE with the commas removed`,
        convert: "thousands",
      };
    }
    return {
      note: `column ${name}: numbers with thousand separators (${example}): kept as VARCHAR; use CAST(replace(${q}, ',', '') AS DOUBLE)`,
    };
  }
  // Only decimal commas ("10,5"; "1,234" alone could be either) and plain numbers: a European export.
  if (counts.decimalComma! > counts.thousands! && counts.decimalComma! + counts.number! === n) {
    const example = JSON.stringify(String(row[`comma_${i}`]));
    if (kind === "table") {
      return {
        note: `column ${name}: numbers with a decimal comma (${example}): read as DOUBLE`,
        convert: "decimalComma",
      };
    }
    return {
      note: `column ${name}: numbers with a decimal comma (${example}): kept as VARCHAR; use CAST(replace(${q}, ',', '.') AS DOUBLE)`,
    };
  }
  const dates = counts.iso! + counts.slash! + counts.text!;
  if (dates > 0 && dates >= n / 2) {
    return { note: dateNote(name, counts, num(row[`dayfirst_${i}`]), num(row[`monthfirst_${i}`])) };
  }
  const numbers = counts.number! + counts.thousands!;
  const markers = num(row[`nodigit_${i}`]);
  if (numbers >= n / 2 && markers > 0 && numbers + markers === n) {
    const other = JSON.stringify(String(row[`other_${i}`]));
    return {
      note:
        `column ${name}: read as VARCHAR because ${markers} of ${n} values are not numbers (e.g. ${other}); ` +
        `use TRY_CAST(${q} AS DOUBLE) to get numbers (those become NULL)`,
    };
  }
  return undefined;
}

/** Column names that say "date" (`date`, `order_date`, `OrderDay`, `dt`): 8-digit numbers there are dates. */
const DATE_NAME = /date|day|(^|_)dt($|_)/i;

/** The 8-digit `yyyymmdd` range read as dates: 1900-01-01 to 2100-12-31. */
const YYYYMMDD = { min: 19000101, max: 21001231 };

/** Per column: non-null count and range (cheap), then, for columns in the date range, valid dates. */
function integerStatsSql(relation: string, columns: readonly string[], checkDates: boolean, limit?: number): string {
  const parts = columns.flatMap((name, i) => {
    const c = quoteIdentifier(name);
    if (checkDates) return [`count(TRY_STRPTIME(CAST(${c} AS VARCHAR), '%Y%m%d')) AS "ymd_${i}"`];
    return [`count(${c}) AS "n_${i}"`, `min(${c}) AS "min_${i}"`, `max(${c}) AS "max_${i}"`];
  });
  return `SELECT ${parts.join(", ")} FROM ${rowsOf(relation, limit)}`;
}

/**
 * Whole-number columns holding only `yyyymmdd` dates (19970101): a column named like a date is
 * read as DATE in a table (a note says so); otherwise, or in a view, a note gives the SQL.
 */
async function yyyymmddColumns(
  run: RunSql,
  relation: string,
  columns: readonly ColumnInfo[],
  kind: "table" | "view",
  notes: string[],
): Promise<string[]> {
  const typed = columns.filter((c) => /^(BIGINT|INTEGER|HUGEINT|UBIGINT|UINTEGER)$/.test(c.type)).map((c) => c.name);
  // A value out of the date range in the first rows rules a column out without reading the rest.
  const sample = typed.length ? rowOf(await run(integerStatsSql(relation, typed, false, STATS_SAMPLE))) : {};
  const integers = typed.filter((_, i) => !outOfDateRange(sample, i));
  if (!integers.length) return [];
  const range = rowOf(await run(integerStatsSql(relation, integers, false)));
  const inRange = integers.flatMap((name, i) => {
    const n = num(range[`n_${i}`]);
    const min = num(range[`min_${i}`]);
    const max = num(range[`max_${i}`]);
    return n > 0 && min >= YYYYMMDD.min && max <= YYYYMMDD.max ? [{ name, n, min }] : [];
  });
  if (!inRange.length) return [];
  const valid = rowOf(
    await run(
      integerStatsSql(
        relation,
        inRange.map((c) => c.name),
        true,
      ),
    ),
  );
  const convert: string[] = [];
  inRange.forEach(({ name, n, min }, i) => {
    if (num(valid[`ymd_${i}`]) !== n) return;
    const example = String(min);
    const shown = `${example.slice(0, 4)}-${example.slice(4, 6)}-${example.slice(6, 8)}`;
    const sql = `strptime(CAST(${quoteIdentifier(name)} AS VARCHAR), '%Y%m%d')::DATE`;
    if (DATE_NAME.test(name) && kind === "table") {
      convert.push(name);
      notes.push(`column ${name}: 8-digit numbers read as dates (yyyymmdd: ${example} is ${shown})`);
    } else {
      notes.push(
        `column ${name}: whole numbers that look like yyyymmdd dates (${example}): kept as numbers; use ${sql}`,
      );
    }
  });
  return convert;
}

/** Whether integer stats row `row` shows column `i` with a value outside the yyyymmdd range. */
function outOfDateRange(row: Record<string, unknown>, i: number): boolean {
  return num(row[`n_${i}`]) > 0 && (num(row[`min_${i}`]) < YYYYMMDD.min || num(row[`max_${i}`]) > YYYYMMDD.max);
}

/** The DOUBLE columns whose every value is whole, with the smallest; the first rows rule most out cheaply. */
async function wholeDoubles(run: RunSql, relation: string, columns: readonly string[]) {
  if (!columns.length) return [];
  const sample = rowOf(await run(doubleStatsSql(relation, columns, STATS_SAMPLE)));
  // A fraction among the first rows settles it; only the columns still whole there are read in full.
  const open = columns.filter((_, i) => num(sample[`whole_${i}`]) === num(sample[`n_${i}`]));
  if (!open.length) return [];
  const row = rowOf(await run(doubleStatsSql(relation, open)));
  return open.flatMap((name, i) => {
    const n = num(row[`n_${i}`]);
    return n > 0 && num(row[`whole_${i}`]) === n ? [{ name, min: num(row[`min_${i}`]) }] : [];
  });
}

/** Notes (and conversions) for the columns of a freshly loaded CSV staging relation. */
export async function columnNotes(
  run: RunSql,
  relation: string,
  columns: readonly ColumnInfo[],
  kind: "table" | "view",
): Promise<string[]> {
  const notes: string[] = [];
  const doubles = columns.filter((c) => c.type === "DOUBLE").map((c) => c.name);
  for (const { name, min } of await wholeDoubles(run, relation, doubles)) {
    notes.push(
      `column ${name}: read ${min}.0 as DOUBLE; all values are whole numbers — cast with ::BIGINT if it is an id`,
    );
  }
  const dates = await yyyymmddColumns(run, relation, columns, kind, notes);
  const varchars = columns.filter((c) => c.type === "VARCHAR").map((c) => c.name);
  // Every shape below holds a digit: text columns without one in the first rows (names, codes,
  // categories) need none of the dozen regular expressions per value.
  const digits = varchars.length ? rowOf(await run(digitsSql(relation, varchars, STATS_SAMPLE))) : {};
  const texts = varchars.filter((_, i) => digits[`digits_${i}`] === true);
  if (!texts.length) {
    await rebuild(run, relation, [], dates);
    return notes;
  }
  // The regex counts cost seconds on a large file, so they run on the first rows to find the
  // columns worth a note, then in full on those only (usually none).
  const sampled = rowOf(await run(varcharStatsSql(relation, texts, STATS_SAMPLE)));
  const candidates = texts.filter((name, i) => varcharNote(name, sampled, i, kind));
  if (!candidates.length) {
    await rebuild(run, relation, [], dates);
    return notes;
  }
  const row = rowOf(await run(varcharStatsSql(relation, candidates)));
  const thousands: string[] = [];
  const decimalCommas: string[] = [];
  candidates.forEach((name, i) => {
    const found = varcharNote(name, row, i, kind);
    if (!found) return;
    notes.push(found.note);
    if (found.convert === "thousands") thousands.push(name);
    if (found.convert === "decimalComma") decimalCommas.push(name);
  });
  await rebuild(run, relation, thousands, dates, decimalCommas);
  return notes;
}

/** Rewrites a loaded table: thousand-separated and decimal-comma text as DOUBLE, yyyymmdd numbers as DATE. */
async function rebuild(
  run: RunSql,
  relation: string,
  thousands: readonly string[],
  dates: readonly string[],
  decimalCommas: readonly string[] = [],
) {
  if (!thousands.length && !dates.length && !decimalCommas.length) return;
  const replaced = [
    ...thousands.map((name) => {
      const q = quoteIdentifier(name);
      return `CAST(replace(trim(${q}), ',', '') AS DOUBLE) AS ${q}`;
    }),
    ...decimalCommas.map((name) => {
      const q = quoteIdentifier(name);
      return `CAST(replace(trim(${q}), ',', '.') AS DOUBLE) AS ${q}`;
    }),
    ...dates.map((name) => {
      const q = quoteIdentifier(name);
      return `CAST(strptime(CAST(${q} AS VARCHAR), '%Y%m%d') AS DATE) AS ${q}`;
    }),
  ];
  const rebuilt = `${relation}_converted`;
  await run(
    `CREATE TABLE ${quoteIdentifier(rebuilt)} AS SELECT * REPLACE (${replaced.join(", ")}) FROM ${quoteIdentifier(relation)}`,
  );
  await run(
    `DROP TABLE ${quoteIdentifier(relation)}; ALTER TABLE ${quoteIdentifier(rebuilt)} RENAME TO ${quoteIdentifier(relation)}`,
  );
}
