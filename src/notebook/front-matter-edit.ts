import { isMap, isScalar, parseDocument, stringify, isSeq } from "yaml";
import type { Document } from "yaml";
import type { DataSource, Notebook } from "./model.ts";
import { DATA_FORMATS } from "./model.ts";
import { readFrontMatter } from "./front-matter.ts";
import { IDENTIFIER_HINT, isSqlIdentifier } from "./identifiers.ts";

/**
 * Sets one front matter key (or removes it when `value` is undefined) by editing
 * `frontMatterSource` through yaml's Document API, so comments and key order are kept; the layout
 * of the YAML may be normalised. Returns a new notebook with `frontMatter` re-validated; removing
 * the last key removes the front matter. Throws when the value is invalid for a known key
 * (e.g. `seed: "abc"`) or the current front matter is not valid YAML.
 */
export function setFrontMatterField(nb: Notebook, key: string, value: unknown): Notebook {
  const where = `setFrontMatterField("${key}")`;
  if (value !== undefined) {
    const errors = readFrontMatter(stringify({ [key]: value })).issues.filter((i) => i.severity === "error");
    if (errors[0]) throw new Error(`${where}: ${errors[0].message}`);
  }
  const doc = editableDocument(nb, where);
  if (value === undefined) doc.delete(key);
  else setValue(doc, key, value);
  return withDocument(nb, doc);
}

/**
 * Adds, replaces or (with null) removes the data table `name` in the front matter's `data` map,
 * keeping comments, key order and any extra keys of an existing entry. A source with only a path is
 * written as `name: path`. Returns a new notebook with `frontMatter` re-validated; throws on an
 * invalid name or source.
 */
export function setDataSource(nb: Notebook, name: string, source: DataSource | null): Notebook {
  const where = `setDataSource("${name}")`;
  if (!isSqlIdentifier(name)) {
    throw new Error(`${where}: table name "${name}" is not a valid SQL identifier; ${IDENTIFIER_HINT}`);
  }
  if (source) checkSource(source, where);
  const doc = editableDocument(nb, where);
  const data = doc.get("data", true);
  const dataIsEmpty = data === undefined || (isScalar(data) && data.value === null);
  if (!dataIsEmpty && !isMap(data)) {
    throw new Error(`${where}: "data" in the front matter is not a map; fix it to "data: {${name}: path}" first`);
  }

  if (source === null) {
    if (isMap(data)) {
      data.delete(name);
      if (data.items.length === 0) doc.delete("data");
    }
    return withDocument(nb, doc);
  }

  const plain: Record<string, string | boolean | string[]> = { path: source.path };
  for (const field of SOURCE_FIELDS) {
    const v = source[field];
    if (v !== undefined) plain[field] = v;
  }
  const simple = Object.keys(plain).length === 1;
  if (!isMap(data)) {
    doc.set("data", doc.createNode({ [name]: simple ? source.path : sourceNode(doc, plain) }));
    return withDocument(nb, doc);
  }
  const entry = data.get(name, true);
  if (isMap(entry)) {
    // Update the existing map in place so its comments and unknown keys survive.
    for (const field of ["path", ...SOURCE_FIELDS] as const) {
      const v = plain[field];
      if (v === undefined) entry.delete(field);
      // A column list is written on one line: [customer_id, amount].
      else entry.set(field, Array.isArray(v) ? doc.createNode(v, { flow: true }) : v);
    }
  } else {
    data.set(name, simple ? source.path : sourceNode(doc, plain));
  }
  return withDocument(nb, doc);
}

/** A data source as a YAML map, its column list on one line: [customer_id, amount]. */
function sourceNode(doc: Document, plain: Record<string, unknown>) {
  const node = doc.createNode(plain);
  const columns = node.get("columns", true);
  if (isSeq(columns)) columns.flow = true;
  return node;
}

/** The optional fields of a data source, in the order they are written. */
const SOURCE_FIELDS = ["sha256", "format", "delimiter", "header", "sheet", "columns"] as const;

function checkSource(source: DataSource, where: string): void {
  if (typeof source.path !== "string" || source.path === "") {
    throw new Error(`${where}: the source needs a path, e.g. {path: "data/sales.csv"}`);
  }
  if (source.sha256 !== undefined && !/^[0-9a-fA-F]{64}$/.test(source.sha256)) {
    throw new Error(`${where}: sha256 must be 64 hex digits, got "${source.sha256}"`);
  }
  if (source.format !== undefined && !DATA_FORMATS.includes(source.format)) {
    throw new Error(`${where}: format must be one of ${DATA_FORMATS.join(", ")}, got "${source.format}"`);
  }
  // delimiter, header, sheet and columns are checked as the front matter reader checks them.
  const errors = readFrontMatter(stringify({ data: { t: { ...source } } })).issues.filter(
    (i) => i.severity === "error",
  );
  if (errors[0])
    throw new Error(`${where}: ${errors[0].message.replace(/^front matter: /, "").replaceAll("data.t.", "")}`);
}

/** The front matter as an editable YAML document; refuses to edit what it cannot read. */
function editableDocument(nb: Notebook, where: string): Document {
  const doc = parseDocument(nb.frontMatterSource ?? "", { prettyErrors: false });
  const error = doc.errors[0];
  if (error) {
    throw new Error(`${where}: the front matter is not valid YAML (${error.message}); fix it in the file first`);
  }
  if (doc.contents !== null && !isMap(doc.contents)) {
    throw new Error(`${where}: the front matter is not a map of keys; fix it in the file first`);
  }
  return doc;
}

/** Sets a top-level value; a scalar replaces the old scalar's value so its comment stays. */
function setValue(doc: Document, key: string, value: unknown): void {
  const isScalarValue = value === null || (typeof value !== "object" && typeof value !== "function");
  doc.set(key, isScalarValue ? value : doc.createNode(value));
}

function withDocument(nb: Notebook, doc: Document): Notebook {
  let source: string | undefined = String(doc);
  // An empty map with nothing else around it is no front matter at all.
  if (source === "{}\n" || source === "null\n" || source === "") source = undefined;
  const next: Notebook = { ...nb, frontMatterSource: source, frontMatter: { data: {} } };
  if (source === undefined) delete next.frontMatterSource;
  else next.frontMatter = readFrontMatter(source).frontMatter;
  return next;
}
