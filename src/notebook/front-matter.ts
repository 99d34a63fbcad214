import { isMap, isScalar, LineCounter, parseDocument } from "yaml";
import type { Document } from "yaml";
import type { DataFormat, DataSource, FormatIssue, FrontMatter, PrivacySettings } from "./model.ts";
import { DATA_FORMATS, FORMAT_VERSION } from "./model.ts";
import { IDENTIFIER_HINT, isSqlIdentifier } from "./identifiers.ts";
import { isCredentialKey, readConnections } from "./connections.ts";
import { describe, isPlainObject } from "./yaml-value.ts";

/** The line that opens and closes front matter. */
export const FRONT_MATTER_FENCE = "---";

/** Front matter found at the top of a file's lines. */
export interface FrontMatterBlock {
  /** The exact text between the `---` lines: "" or lines each ending in "\n". */
  source: string;
  /** Index of the first line after the closing `---`. */
  bodyStart: number;
}

/**
 * Finds front matter: the very first line is `---` and a later line is `---`. Anything else,
 * including text or a blank line before the first `---`, means the file has no front matter.
 */
export function findFrontMatter(lines: readonly string[]): FrontMatterBlock | null {
  if (lines[0] !== FRONT_MATTER_FENCE) return null;
  const close = lines.indexOf(FRONT_MATTER_FENCE, 1);
  if (close < 0) return null;
  const source = lines
    .slice(1, close)
    .map((line) => `${line}\n`)
    .join("");
  return { source, bodyStart: close + 1 };
}

/** The validated front matter and what was wrong with it. */
export interface FrontMatterResult {
  frontMatter: FrontMatter;
  issues: FormatIssue[];
}

const KNOWN_KEYS: ReadonlySet<string> = new Set([
  "title",
  "description",
  "requires",
  "format",
  "seed",
  "data",
  "privacy",
  "connections",
]);
const DATA_SOURCE_KEYS: ReadonlySet<string> = new Set([
  "path",
  "sha256",
  "format",
  "delimiter",
  "header",
  "sheet",
  "columns",
]);

/**
 * What a data source's path and format say it is, for checking the options that apply to it:
 * delimited text (`delimiter`, `header`), an Excel workbook (`sheet`) or anything else.
 * @example dataSourceKind({ path: "data/CDNOW_master.txt" }) // "text"
 */
export function dataSourceKind(source: Pick<DataSource, "path" | "format">): "text" | "workbook" | "other" {
  if (source.format === "csv" || source.format === "tsv") return "text";
  if (source.format !== undefined) return "other";
  const file = source.path.split(/[?#]/)[0]!.toLowerCase();
  if (/\.xlsx$/.test(file)) return "workbook";
  if (/\.(parquet|pq|json|ndjson|jsonl)$/.test(file)) return "other";
  return "text";
}
const SHA256 = /^[0-9a-fA-F]{64}$/;

/** Front matter longer than this (characters) is not parsed: real front matter is a few hundred. */
export const MAX_FRONT_MATTER_CHARS = 64 * 1024;

/** Front matter nested deeper than this is not parsed (the YAML parser recurses per level). */
export const MAX_FRONT_MATTER_DEPTH = 32;

/** Keys that name parts of every JavaScript object: never table names. */
const PROTOTYPE_KEYS: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);

/**
 * How deeply YAML text nests, estimated without parsing: block levels by indentation (plus `- ` items
 * opened on the same line) and flow levels by `[`/`{` outside quotes. It never underestimates a
 * well-formed document by much, and it is linear, so a hostile block is refused before the parser
 * (which recurses per level) sees it.
 * @example
 * yamlDepth("a:\n  b: [1, [2]]\n"); // 4
 */
export function yamlDepth(source: string): number {
  const indents: number[] = [];
  let deepest = 0;
  let flow = 0;
  for (const line of source.split("\n")) {
    const content = line.trimStart();
    if (flow === 0 && (content === "" || content.startsWith("#"))) continue;
    if (flow === 0) {
      const indent = line.length - content.length;
      while (indents.length && indents.at(-1)! >= indent) indents.pop();
      indents.push(indent);
    }
    let items = 0;
    for (let i = 0; content.startsWith("- ", i) || content.startsWith("-\t", i); i += 2) items++;
    let quote = "";
    for (const c of content) {
      if (quote) {
        if (c === quote) quote = "";
      } else if (c === '"' || c === "'") quote = c;
      else if (c === "#") break;
      else if (c === "[" || c === "{") deepest = Math.max(deepest, indents.length + items + ++flow);
      else if (c === "]" || c === "}") flow = Math.max(0, flow - 1);
    }
    deepest = Math.max(deepest, indents.length + items + flow);
  }
  return deepest;
}

/** Why front matter is refused before parsing (too long or too deep), or undefined when it is fine. */
function tooBig(source: string): string | undefined {
  if (source.length > MAX_FRONT_MATTER_CHARS) {
    return `is ${source.length.toLocaleString("en-US")} characters long, more than the ${MAX_FRONT_MATTER_CHARS.toLocaleString("en-US")} front matter may have`;
  }
  const depth = yamlDepth(source);
  if (depth > MAX_FRONT_MATTER_DEPTH) {
    return `nests ${depth} levels deep, more than the ${MAX_FRONT_MATTER_DEPTH} front matter may have`;
  }
  return undefined;
}

/**
 * Parses and validates front matter YAML. Fields with wrong types are reported as errors and left
 * out of the result (they stay in the source, so nothing is lost); unknown keys are warnings.
 * `firstLine` is the file line of the source's first line (2: right after the opening `---`).
 */
export function readFrontMatter(source: string, firstLine = 2): FrontMatterResult {
  const issues: FormatIssue[] = [];
  // Bounded before parsing: the YAML parser recurses per nesting level, and a deep enough block
  // overflows the stack (or takes seconds) in the runner and in the build's notebook index.
  const refused = tooBig(source);
  if (refused) {
    const message = `front matter: ${refused}; it is kept as written but ignored (no data, seed or privacy) until fixed`;
    return { frontMatter: { data: {} }, issues: [{ severity: "error", line: firstLine - 1, message }] };
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter, prettyErrors: false });
  const lineAt = (offset: number): number => firstLine + lineCounter.linePos(offset).line - 1;
  const frontMatter: FrontMatter = { data: {} };

  if (doc.errors.length > 0) {
    for (const e of doc.errors) {
      issues.push({
        severity: "error",
        line: lineAt(e.pos[0]),
        message: `front matter: invalid YAML: ${e.message}; it is kept as written but ignored until fixed`,
      });
    }
    return { frontMatter, issues };
  }
  for (const w of doc.warnings) {
    issues.push({ severity: "warning", line: lineAt(w.pos[0]), message: `front matter: ${w.message}` });
  }

  const lineOf = (path: readonly string[]): number => keyLine(doc, path, lineAt, firstLine);
  const report = (severity: FormatIssue["severity"], path: readonly string[], message: string) =>
    issues.push({ severity, line: lineOf(path), message: `front matter: ${message}` });

  let value: unknown;
  try {
    value = doc.toJS();
  } catch (e) {
    // e.g. too many alias expansions: the YAML is well formed but cannot become plain data.
    report("error", [], `cannot read the YAML (${(e as Error).message}); it is ignored until fixed`);
    return { frontMatter, issues };
  }
  if (value === null || value === undefined) return { frontMatter, issues };
  if (!isPlainObject(value)) {
    report("error", [], `must be a map of keys such as "title: My notebook", got ${describe(value)}`);
    return { frontMatter, issues };
  }

  for (const [key, v] of Object.entries(value)) {
    if (!KNOWN_KEYS.has(key) && isCredentialKey(key)) {
      report(
        "error",
        [key],
        `"${key}" looks like a credential, and credentials never go in the notebook file (it is saved, shared and committed): remove it; name the engine under "connections:" and give credentials at run time`,
      );
      continue;
    }
    if (!KNOWN_KEYS.has(key)) {
      report("warning", [key], `unknown key "${key}" is kept but not used`);
      continue;
    }
    // An empty value ("seed:") means "not set", which is not worth a message.
    if (v === null) continue;
    if (key === "title") {
      if (typeof v === "string") frontMatter.title = v;
      else report("error", [key], `"title" must be text, got ${describe(v)}; quote it`);
    } else if (key === "description") {
      if (typeof v === "string") frontMatter.description = v;
      else report("error", [key], `"description" must be text, got ${describe(v)}; quote it`);
    } else if (key === "requires") {
      if (typeof v === "string") frontMatter.requires = v;
      else
        report("error", [key], `"requires" must be text saying what the notebook needs, got ${describe(v)}; quote it`);
    } else if (key === "format") {
      if (typeof v === "number" && Number.isSafeInteger(v) && v >= 1) {
        frontMatter.format = v;
        if (v > FORMAT_VERSION) {
          report(
            "error",
            [key],
            `"format" is ${v} but this Segbook reads format ${FORMAT_VERSION}: the notebook was written by a newer Segbook; update Segbook before editing it`,
          );
        }
      } else {
        report("error", [key], `"format" must be a whole number such as ${FORMAT_VERSION}, got ${describe(v)}`);
      }
    } else if (key === "seed") {
      if (typeof v === "number" && Number.isSafeInteger(v)) frontMatter.seed = v;
      else report("error", [key], `"seed" must be a whole number such as 42, got ${describe(v)}`);
    } else if (key === "privacy") {
      const privacy = readPrivacy(v, report);
      if (privacy) frontMatter.privacy = privacy;
    } else if (key === "connections") {
      frontMatter.connections = readConnections(v, report);
    } else {
      frontMatter.data = readData(v, report);
    }
  }
  // Rebuilt in file-format order (title, description, requires, format, seed, data): dumps and golden files read well.
  const { title, description, requires, format, seed, data, privacy, connections } = frontMatter;
  const ordered: FrontMatter = {
    ...(title !== undefined && { title }),
    ...(description !== undefined && { description }),
    ...(requires !== undefined && { requires }),
    ...(format !== undefined && { format }),
    ...(seed !== undefined && { seed }),
    data,
    ...(privacy !== undefined && { privacy }),
    ...(connections !== undefined && { connections }),
  };
  return { frontMatter: ordered, issues };
}

type Report = (severity: FormatIssue["severity"], path: readonly string[], message: string) => void;

const PRIVACY_KEYS: ReadonlySet<string> = new Set(["minSegmentSize", "personal"]);

/** Validates `privacy: {minSegmentSize, personal}`; a wrong field is reported and left out, the rest kept. */
function readPrivacy(value: unknown, report: Report): PrivacySettings | null {
  if (!isPlainObject(value)) {
    report(
      "error",
      ["privacy"],
      `"privacy" must be a map such as "privacy: {minSegmentSize: 10, personal: [email]}", got ${describe(value)}`,
    );
    return null;
  }
  const privacy: PrivacySettings = {};
  const { minSegmentSize: min, personal } = value;
  if (min !== undefined && min !== null) {
    if (typeof min === "number" && Number.isSafeInteger(min) && min >= 1) privacy.minSegmentSize = min;
    else
      report(
        "error",
        ["privacy", "minSegmentSize"],
        `privacy.minSegmentSize must be a whole number >= 1 such as 10, got ${describe(min)}; no minimum applies until fixed`,
      );
  }
  if (personal !== undefined && personal !== null) {
    if (Array.isArray(personal) && personal.every((c) => typeof c === "string" && c !== "")) {
      privacy.personal = personal as string[];
    } else {
      report(
        "error",
        ["privacy", "personal"],
        `privacy.personal must be a list of column names such as [email, phone], got ${describe(personal)}; nothing is masked until fixed`,
      );
    }
  }
  for (const key of Object.keys(value)) {
    if (!PRIVACY_KEYS.has(key))
      report("warning", ["privacy", key], `unknown key "privacy.${key}" is kept but not used`);
  }
  return privacy;
}

/** Validates the `data` map; an entry with any error is left out whole, so no table loads half-checked. */
function readData(value: unknown, report: Report): Record<string, DataSource> {
  const data: Record<string, DataSource> = {};
  if (!isPlainObject(value)) {
    report(
      "error",
      ["data"],
      `"data" must be a map of table name to path, e.g. "data: {sales: data/sales.csv}", got ${describe(value)}`,
    );
    return data;
  }
  for (const [name, entry] of Object.entries(value)) {
    const path = ["data", name];
    if (PROTOTYPE_KEYS.has(name)) {
      // Assigned to a plain object, "__proto__" would replace its prototype and vanish without a word.
      report(
        "error",
        path,
        `data table name "${name}" is reserved (every JavaScript object has it); the table is left out until renamed, e.g. "${name.replace(/_/g, "")}_data"`,
      );
      continue;
    }
    if (!isSqlIdentifier(name)) {
      report(
        "error",
        path,
        `data table name "${name}" is not a valid SQL identifier; ${IDENTIFIER_HINT}; the table is left out until renamed`,
      );
      continue;
    }
    const source = readDataSource(name, entry, path, report);
    if (source) data[name] = source;
  }
  return data;
}

function readDataSource(name: string, entry: unknown, path: readonly string[], report: Report): DataSource | null {
  const needPath = `data.${name} needs a path, e.g. "${name}: data/${name}.csv" or "${name}: {path: data/${name}.csv}"`;
  if (typeof entry === "string") {
    if (entry === "") report("error", path, `${needPath}; table "${name}" is left out until fixed`);
    return entry === "" ? null : { path: entry };
  }
  if (!isPlainObject(entry)) {
    report("error", path, `${needPath}; got ${describe(entry)}, so table "${name}" is left out`);
    return null;
  }
  let ok = true;
  const fail = (key: string, message: string) => {
    report("error", [...path, key], `${message}; table "${name}" is left out until fixed`);
    ok = false;
  };
  const source: DataSource = { path: "" };
  if (typeof entry.path === "string" && entry.path !== "") source.path = entry.path;
  else
    fail("path", entry.path === undefined ? needPath : `data.${name}.path must be text, got ${describe(entry.path)}`);
  if (entry.sha256 !== undefined && entry.sha256 !== null) {
    if (typeof entry.sha256 === "string" && SHA256.test(entry.sha256)) source.sha256 = entry.sha256;
    else fail("sha256", `data.${name}.sha256 must be 64 hex digits, got ${describe(entry.sha256)}`);
  }
  if (entry.format !== undefined && entry.format !== null) {
    if (DATA_FORMATS.includes(entry.format as DataFormat)) source.format = entry.format as DataFormat;
    else fail("format", `data.${name}.format must be one of ${DATA_FORMATS.join(", ")}, got ${describe(entry.format)}`);
  }
  readLoadOptions(name, entry, source, fail);
  readColumns(name, entry.columns, source, fail);
  for (const key of Object.keys(entry)) {
    if (!DATA_SOURCE_KEYS.has(key))
      report("warning", [...path, key], `unknown key "data.${name}.${key}" is kept but not used`);
  }
  return ok ? source : null;
}

/**
 * Whether a data source is read as Parquet (its format, else its extension), for `columns`.
 * @example isParquetSource({ path: "data/orders.parquet" }) // true
 */
export function isParquetSource(source: Pick<DataSource, "path" | "format">): boolean {
  if (source.format !== undefined) return source.format === "parquet";
  return /\.(parquet|pq)$/.test(source.path.split(/[?#]/)[0]!.toLowerCase());
}

/** Validates `columns` of a data entry (Parquet only; distinct names) and copies it into `source`. */
function readColumns(
  name: string,
  columns: unknown,
  source: DataSource,
  fail: (key: string, message: string) => void,
): void {
  if (columns === undefined || columns === null) return;
  if (source.path && !isParquetSource(source)) {
    fail("columns", `data.${name}.columns applies to Parquet files only, not to ${source.path}; remove it`);
    return;
  }
  const names = Array.isArray(columns) ? columns : [];
  const ok = names.length > 0 && names.every((c) => typeof c === "string" && c.trim() !== "");
  if (!ok) {
    fail(
      "columns",
      `data.${name}.columns must be a list of column names such as [customer_id, amount], got ${describe(columns)}`,
    );
    return;
  }
  const repeated = names.find((c, i) => names.indexOf(c) !== i);
  if (repeated !== undefined) {
    fail("columns", `data.${name}.columns names "${String(repeated)}" twice; list each column once`);
    return;
  }
  source.columns = names as string[];
}

/** Validates `delimiter`, `header` and `sheet` of a data entry and copies them into `source`. */
function readLoadOptions(
  name: string,
  entry: Record<string, unknown>,
  source: DataSource,
  fail: (key: string, message: string) => void,
): void {
  const kind = source.path ? dataSourceKind({ path: source.path, format: source.format }) : "text";
  const { delimiter, header, sheet } = entry;
  const notFor = (key: string) =>
    `data.${name}.${key} applies to delimited text (.csv, .tsv, .txt) only, not to ${source.path || "this file"}; remove it`;
  if (delimiter !== undefined && delimiter !== null) {
    if (kind !== "text") fail("delimiter", notFor("delimiter"));
    else if (typeof delimiter === "string" && [...delimiter].length === 1 && delimiter !== "\n" && delimiter !== "\r")
      source.delimiter = delimiter;
    else
      fail(
        "delimiter",
        `data.${name}.delimiter must be one character such as ",", ";", "|", "\\t" (tab) or " " (runs of spaces), got ${describe(delimiter)}`,
      );
  }
  if (header !== undefined && header !== null) {
    if (kind !== "text") fail("header", notFor("header"));
    else if (typeof header === "boolean") source.header = header;
    else fail("header", `data.${name}.header must be true or false, got ${describe(header)}`);
  }
  if (sheet !== undefined && sheet !== null) {
    if (kind !== "workbook")
      fail("sheet", `data.${name}.sheet applies to Excel workbooks (.xlsx) only, not to ${source.path || "this file"}`);
    else if (typeof sheet === "string" && sheet !== "") source.sheet = sheet;
    else fail("sheet", `data.${name}.sheet must be a sheet name such as "Q3", got ${describe(sheet)}`);
  }
}

/** The file line of the deepest key of `path` found in the YAML; the first line when none is. */
function keyLine(
  doc: Document,
  path: readonly string[],
  lineAt: (offset: number) => number,
  firstLine: number,
): number {
  let node: unknown = doc.contents;
  let line = firstLine;
  for (const key of path) {
    if (!isMap(node)) break;
    const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
    if (!pair) break;
    const start = isScalar(pair.key) ? pair.key.range?.[0] : undefined;
    if (start !== undefined) line = lineAt(start);
    node = pair.value;
  }
  return line;
}
