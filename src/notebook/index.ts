/**
 * The notebook file format. A notebook is one plain Markdown file, readable on GitHub, with no
 * outputs stored:
 *
 * - optional YAML front matter between `---` lines at the very start (title, format, seed, data);
 * - fenced code blocks whose info string starts with `ts`, `js` or `sql` are code cells
 *   (```` ```sql name ```` names a SQL result); any other fence is ordinary Markdown;
 * - the text between code cells is Markdown; a `<!-- cell -->` line splits it into two cells.
 *
 * parse never fails: what it cannot understand is kept and reported as a {@link FormatIssue}.
 */
export type {
  Cell,
  CellKind,
  ConnectionSource,
  DataFormat,
  DataSource,
  FormatIssue,
  FrontMatter,
  Notebook,
  PrivacySettings,
} from "./model.ts";
export { DATA_FORMATS, DEFAULT_SEED, FORMAT_VERSION } from "./model.ts";
export type { ParseResult } from "./parse.ts";
export { parse } from "./parse.ts";
export { serialize } from "./serialize.ts";
export type { CellExtras } from "./cells.ts";
export { CELL_SPLIT_MARKER, createCell, newCellId } from "./cells.ts";
export type { FrontMatterResult } from "./front-matter.ts";
export { dataSourceKind, readFrontMatter } from "./front-matter.ts";
export { setDataSource, setFrontMatterField } from "./front-matter-edit.ts";
export { isSqlIdentifier } from "./identifiers.ts";
export { notebookTitle, UNTITLED } from "./title.ts";
