/**
 * The saved notebook: exactly what goes into the `.md` file. Run state (outputs, status, errors)
 * lives in the runtime's session and is never part of this model.
 */

/** Kinds of cell. `js` cells run exactly like `ts` cells (types are simply absent). */
export type CellKind = "md" | "ts" | "js" | "sql";

/** One cell as saved. */
export interface Cell {
  /** Live identity for the UI and runtime; never written to the file, re-made on every parse. */
  id: string;
  kind: CellKind;
  /** The cell's text: Markdown, or the code between the fences (without the fences). */
  source: string;
  /** SQL cells only: the name the result is bound to (a table in DuckDB and a handle in TS). */
  name?: string;
  /**
   * Extra words of the fence's info string after the language (and the SQL name), kept verbatim
   * so nothing the author wrote is lost, e.g. `echo=false`.
   */
  attrs?: string;
  /**
   * The fence the cell was written with, e.g. ```` or ~~~. Absent when it is the fence serialize
   * would choose anyway (the shortest backtick fence the source cannot close), so hand-built cells
   * and parsed cells compare equal.
   */
  fence?: string;
}

/** One entry of the front matter's `data` map. */
export interface DataSource {
  /** Path or URL, relative to the notebook file. */
  path: string;
  /** Expected sha256 of the file as 64 hex digits (either case), when recorded. */
  sha256?: string;
  /** Format override when the extension does not tell. */
  format?: DataFormat;
  /**
   * Delimited text only: the field delimiter, one character (`","`, `";"`, `"|"`, `"\t"`, or `" "`
   * for runs of spaces); sniffed when absent.
   */
  delimiter?: string;
  /** Delimited text only: whether the first line holds column names; sniffed when absent. */
  header?: boolean;
  /** Excel workbooks only: the sheet to load (default: the first). */
  sheet?: string;
  /**
   * Parquet only: load just these columns, in this order (default: all). Less to read and less
   * memory in the tab; a name the file lacks fails naming the closest column.
   */
  columns?: string[];
}

/** File formats a data source may name explicitly. */
export type DataFormat = "csv" | "tsv" | "parquet" | "json";

/** Every {@link DataFormat}, for validation and messages. */
export const DATA_FORMATS: readonly DataFormat[] = ["csv", "tsv", "parquet", "json"];

/** The parsed, validated front matter. */
export interface FrontMatter {
  title?: string;
  /** One or two sentences on what the notebook does (shown in the gallery). */
  description?: string;
  /**
   * What the notebook needs that is not shipped with it, e.g. a dataset outside the site. Galleries
   * label it, and the browser tests skip it, since the static site cannot serve it.
   */
  requires?: string;
  /** File format version; the current one is {@link FORMAT_VERSION}. */
  format?: number;
  /** Seed for every random step in the notebook. */
  seed?: number;
  /** Table name -> source. Each becomes a table in DuckDB and a handle in TS scope. */
  data: Record<string, DataSource>;
  /** Privacy guard for `seg` summaries, exports and reports (front matter `privacy:`). */
  privacy?: PrivacySettings;
  /**
   * Remote engines by name (front matter `connections:`), for SQL cells with `engine=NAME`. Where they
   * are, never how to log in: credentials are refused in the file (see connections.ts).
   */
  connections?: Record<string, ConnectionSource>;
}

/**
 * One entry of the front matter's `connections` map: where a remote engine is (its kind, URL and
 * default database). The same shape as the engine layer's `ConnectionSpec`.
 */
export interface ConnectionSource {
  /** The engine kind, one of {@link CONNECTION_TYPES}. */
  type: string;
  /** Base URL of its HTTP interface, without user or password. */
  url: string;
  /** Default database for unqualified table names. */
  database?: string;
}

/** The remote engine kinds a connection may name (one adapter each in src/engine/remote/). */
export const CONNECTION_TYPES: readonly string[] = ["clickhouse"];

/**
 * Notebook-level privacy rules: segments smaller than `minSegmentSize` have their counts and
 * members suppressed in `seg` summaries and exports; `personal` columns are masked in exports and
 * `segbook run` reports unless a call asks for them explicitly.
 */
export interface PrivacySettings {
  /** Smallest segment whose size and members may be shown or exported. */
  minSegmentSize?: number;
  /** Column names (compared case-insensitively) holding personal data: e-mails, phones, names, .... */
  personal?: string[];
}

/** A notebook as saved. */
export interface Notebook {
  /**
   * The YAML between the `---` lines exactly as written (comments and key order kept), or
   * undefined when the file has no front matter.
   */
  frontMatterSource?: string;
  /** Validated view of the front matter (derived from frontMatterSource). */
  frontMatter: FrontMatter;
  cells: Cell[];
  /**
   * Set to "\r\n" when the file was written with CRLF line endings, so serialize writes them back;
   * absent means "\n". Sources in the model always use "\n".
   */
  lineEnding?: "\r\n";
}

/** Something in a file that could not be understood; it is kept in the notebook and reported. */
export interface FormatIssue {
  severity: "error" | "warning";
  /** 1-based line in the file. */
  line: number;
  message: string;
}

/** The current file format version. */
export const FORMAT_VERSION = 1;

/** The seed used when the front matter gives none. */
export const DEFAULT_SEED = 42;
