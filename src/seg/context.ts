/**
 * What every `seg` function works with: the calling cell's database access (tables it makes are
 * owned by the cell and dropped when the cell re-runs) and the notebook's seed.
 */
import type { Engine, SqlParam } from "../engine/engine.ts";
import { isTableHandle } from "../engine/is-table-handle.ts";
import type { TableHandle } from "../engine/table-handle-types.ts";
import type { KernelRunner } from "./kernel-runner.ts";
import type { ExportCaller, ExportSink } from "./export.ts";
import type { PrivacySettings } from "../notebook/model.ts";
import { closestName } from "../format/closest-name.ts";

/** Database access as a cell has it (`db` in a cell satisfies this). */
export interface SegDb {
  /** Runs a query into a new table owned by the caller and returns its handle. */
  query(sql: string, params?: readonly SqlParam[]): Promise<TableHandle>;
  /** Runs statements for their effect. */
  exec(sql: string): Promise<void>;
  /** A handle on an existing table or view. */
  table(name: string): Promise<TableHandle>;
  readonly engine: Engine;
}

/** The context `seg` functions run in. */
export interface SegContext {
  db: SegDb;
  /** The notebook's seed: the default for every random step. */
  seed: number;
  /** Where numeric kernels run; in-process when absent (Node), a Web Worker pool in the browser. */
  kernels?: KernelRunner;
  /** Where `seg.export` puts prepared files: kept for a Download click in the browser, `--out` in `segbook run`. */
  sink?: ExportSink;
  /** The cell run calling `seg`, so what it exports is replaced when the cell re-runs (set by the runtime). */
  caller?: ExportCaller;
  /** The document charts draw into; the page's own in the browser, linkedom's in Node. */
  document?: Document;
  /** The notebook's privacy rules (front matter `privacy:`): small-segment suppression, personal columns. */
  privacy?: PrivacySettings;
  /**
   * Where the calling cell's inputs came from, for `seg.export`'s manifest: the notebook, the cell,
   * the data sources it depends on (with their sha256) and the values of the cells upstream of it.
   * The runtime fills it from its dependency graph (src/runtime/provenance.ts); absent elsewhere.
   */
  provenance?: () => Promise<SegProvenance>;
}

/**
 * A cell as a manifest names it: its id, its 1-based position in the notebook and its name (a named
 * SQL cell's result name; null for other cells).
 */
export interface CellRef {
  id: string;
  position: number;
  name: string | null;
}

/** A data source (front matter `data:` entry, also what the data panel adds) as it was loaded. */
export interface SourceProvenance {
  /** Its table name. */
  name: string;
  /** Its path or URL as the front matter gives it. */
  path: string;
  /** Hex sha256 of the bytes read; null when it was read by HTTP range requests (never whole). */
  sha256: string | null;
  /** `whole`: the file was read and hashed; `ranges`: read by HTTP range requests, not hashed. */
  read: "whole" | "ranges";
}

/**
 * What the host knows of the calling cell's provenance (see {@link SegContext.provenance}).
 * @example
 * const p = await ctx.provenance?.();
 * p?.sources; // [{name: "orders", path: "data/orders.csv", sha256: "2d56…", read: "whole"}]
 */
export interface SegProvenance {
  /** The notebook's title and where it was opened from (a path, a URL, or a share link's origin). */
  notebook: { title: string | null; location: string | null };
  cell: CellRef;
  /** Every data source the cell depends on, directly or through other cells. */
  sources: SourceProvenance[];
  /** The outputs of every cell the calling cell depends on, directly or not (where fitted models are found). */
  upstream: { cell: CellRef; name: string; value: unknown }[];
  /** The app's version (package.json), when the host knows it. */
  appVersion: string | null;
  /** The remote SQL cells upstream: their connection (never credentials), SQL and parameter names. */
  remote?: RemoteQueryProvenance[];
}

/** A query a remote SQL cell sent to a front matter connection, as a manifest records it. */
export interface RemoteQueryProvenance {
  /** The connection by name, engine type, URL (without user or password) and database. */
  connection: { name: string; type: string; url: string; database: string | null };
  /** The SQL as sent, with the engine's parameter references (e.g. `{p1:String}`). */
  sql: string;
  /** The parameter names; values are left out (they are user data, possibly personal). */
  params: string[];
  /** Rows the query returned. */
  rows: number;
}

/** What the host supplies to every cell's `seg` besides the cell's db and the seed. */
export type SegEnvironment = Omit<SegContext, "db" | "seed">;

/** A table given to a `seg` function: a handle, or the name of a table in the engine. */
export type TableInput = TableHandle | string;

/** The handle for a table input; a name is looked up in the engine (unknown names fail clearly). */
export async function resolveTable(ctx: SegContext, input: TableInput, fn: string): Promise<TableHandle> {
  if (typeof input !== "string") {
    if (isTableHandle(input)) return input;
    throw new TypeError(
      `seg.${fn}: expected a table (a SQL cell's result, db.query(…), or a table name), got ${typeof input}`,
    );
  }
  try {
    return await ctx.db.table(input);
  } catch (error) {
    throw new Error(`seg.${fn}: no table named "${input}" in the engine: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/**
 * Fails when a requested column is missing, suggesting the closest column name and listing the
 * table's columns. The message names the table by its engine name; the runtime replaces an internal
 * one (`__segbook_t3`) by the user's name for it (src/runtime/table-labels.ts).
 */
export function requireColumns(table: TableHandle, columns: readonly string[], fn: string): void {
  const names = table.columns.map((c) => c.name);
  const have = new Set(names);
  const missing = columns.filter((c) => !have.has(c));
  if (missing.length) {
    const hints = missing.flatMap((m) => {
      const close = closestName(m, names);
      return close ? [`"${close}"`] : [];
    });
    const suggestion = hints.length ? ` Did you mean ${hints.join(", ")}?` : "";
    const list = missing.map((m) => `"${m}"`).join(", ");
    throw new Error(
      `seg.${fn}: unknown column${missing.length > 1 ? "s" : ""} ${list} in table "${table.name}"; its columns are ${names.join(", ")}.${suggestion}`,
    );
  }
}
