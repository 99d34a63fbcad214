/**
 * The data panel's state: files added by drop, picker or URL (kept in memory, and in OPFS across
 * reloads), how each is loaded (delimiter, header, Excel sheet), and the schema browser (every
 * table in the engine, the selected table's profile). Adding a file records it in the notebook's
 * `data` front matter with its sha256; the options chosen here are written there too (`delimiter`,
 * `header`, `sheet`), so the notebook loads the same way in any browser and in `segbook run`. The
 * session then loads it through {@link DataPanel.resolve}.
 */
import type { CsvOptions, CsvSniff, Engine, FileSource } from "../../engine/engine.ts";
import { resolveFormat, sourceFileName } from "../../engine/load.ts";
import { profileTable, type TableProfile } from "../../engine/profile.ts";
import { listTables, type TableSummary } from "../../engine/schema.ts";
import { starterNotebook } from "../../notebook/starter.ts";
import type { DataSource } from "../../notebook/index.ts";
import type { DataResolution } from "../../runtime/index.ts";
import { refusedConnection } from "../page-policy.ts";
import { hashFile } from "./hash-file.ts";
import { readStored, storeFile } from "./opfs-store.ts";
import { uniqueTableName } from "./table-name.ts";
import { isWorkbook, readSheetJson, sheetNames } from "./xlsx.ts";

/** What the panel needs of the open notebook (NotebookState implements it). */
export interface DataHost {
  readonly engine: Engine | undefined;
  readonly dataSources: readonly [string, DataSource][];
  readonly tableNames: readonly string[];
  /** Base URL that relative data paths resolve against. */
  readonly url: string;
  setDataSource(name: string, source: DataSource): void;
  reloadData(name: string): void;
  /** Engine table -> the name a cell bound it to (Session.tableLabels); empty before the engine is up. */
  tableLabels(): Map<string, { name: string; cellId: string }>;
  /** Resolves once no cell is scheduled or running (the labels of the last run are in by then). */
  settled(): Promise<void>;
}

/** A table as the schema browser lists it: under the user's name (`label`), profiled by its engine `name`. */
export interface ListedTable extends TableSummary {
  /** What the user calls it (a variable, a SQL cell's name, a data table). */
  label: string;
  /** The cell that binds it, when a cell does. */
  cellId?: string;
}

/** A file the user added, by its path in the front matter. */
export interface LocalEntry {
  file: Blob;
  fileName: string;
  sha256: string;
  /** Excel: the sheet last loaded and every sheet's name (the choice itself is the front matter's `sheet`). */
  sheet?: string;
  sheets?: string[];
  /** True when it came back from OPFS after a reload. */
  restored?: boolean;
  /**
   * True when the user picked it for a data file the server did not have: a sha256 differing from
   * the front matter's then loads with a warning instead of failing (see ResolvedData.onMismatch).
   */
  picked?: boolean;
}

/** A file being read and hashed. */
export interface Adding {
  id: number;
  fileName: string;
  /** 0..1 while reading/hashing. */
  fraction: number;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The front matter's delimiter/header of a source, as sniffer overrides. */
function csvOptionsOf(source: DataSource): CsvOptions {
  return {
    ...(source.delimiter !== undefined && { delimiter: source.delimiter }),
    ...(source.header !== undefined && { header: source.header }),
  };
}

function isParquet(fileName: string): boolean {
  try {
    return resolveFormat(fileName) === "parquet";
  } catch {
    return false;
  }
}

function isCsvLike(fileName: string): boolean {
  try {
    const format = resolveFormat(fileName);
    return format === "csv" || format === "tsv";
  } catch {
    return false;
  }
}

/** State behind DataPanel.svelte, SchemaBrowser.svelte and ProfileView.svelte. */
export class DataPanel {
  /** Added files by front matter path. */
  entries = $state.raw<Record<string, LocalEntry>>({});
  /** Files being read. */
  adding = $state.raw<Adding[]>([]);
  /** The last problem adding data, shown until the next add. */
  error = $state<string | undefined>(undefined);
  /** What DuckDB sniffed in each added CSV, by table name (or why it could not). */
  sniffs = $state.raw<Record<string, CsvSniff | { error: string }>>({});
  /** The columns of each added Parquet file (from its footer), by table name, or why they could not be read. */
  parquetColumns = $state.raw<Record<string, { name: string; type: string }[] | { error: string }>>({});
  /** Every user table in the engine, as of the last refresh, under the names users gave them. */
  tables = $state.raw<ListedTable[]>([]);
  /** The table whose profile is shown. */
  selected = $state<string | undefined>(undefined);
  profile = $state.raw<TableProfile | undefined>(undefined);
  profiling = $state(false);
  profileError = $state<string | undefined>(undefined);

  readonly #host: DataHost;
  /** The sha256 of the file whose columns parquetColumns holds, by table name. */
  readonly #columnsRead: Record<string, string> = {};
  #lastId = 0;
  #refreshing: Promise<void> | undefined;
  #refreshAgain = false;

  constructor(host: DataHost) {
    this.#host = host;
  }

  #remember(path: string, entry: LocalEntry): LocalEntry {
    this.entries = { ...this.entries, [path]: entry };
    return entry;
  }

  /** The front matter path of table `name`, if it is a data source. */
  pathOf(name: string): string | undefined {
    return this.#host.dataSources.find(([n]) => n === name)?.[1].path;
  }

  /**
   * What the session loads for a data source: an added file (read lazily from its File handle),
   * one restored from OPFS by its sha256, or else `fallback()` (the path relative to the notebook).
   * Excel sheets are converted to JSON; the notebook's sha256 check then uses the workbook's hash.
   */
  async resolve(name: string, source: DataSource, fallback: () => FileSource): Promise<DataResolution> {
    let entry: LocalEntry | undefined = this.entries[source.path];
    if (!entry && source.sha256) {
      const stored = await readStored(source.sha256);
      if (stored) {
        const { fileName } = stored.options;
        entry = this.#remember(source.path, {
          file: stored.file,
          fileName: fileName || sourceFileName({ kind: "url", url: source.path }),
          sha256: source.sha256.toLowerCase(),
          restored: true,
        });
      }
    }
    if (!entry) {
      if (!isWorkbook(source.path)) return fallback();
      const fetched = await fetchWithProgress(fallback(), () => {});
      entry = this.#remember(source.path, {
        file: fetched,
        fileName: sourceFileName({ kind: "url", url: source.path }),
        sha256: await hashFile(fetched),
      });
    }
    if (isWorkbook(entry.fileName)) {
      // The same conversion as segbook run's (src/engine/workbook.ts), of the front matter's sheet.
      const json = await readSheetJson(entry.file, entry.fileName, source.sheet);
      this.#remember(source.path, { ...entry, sheets: json.sheets, sheet: json.sheet });
      return { source: { kind: "bytes", bytes: json.bytes, fileName: `${name}.json` }, sha256: entry.sha256 };
    }
    // Hashed when it was added (or kept under its hash): the load need not read it again to hash it.
    const file: FileSource = { kind: "file", file: entry.file, fileName: entry.fileName, sha256: entry.sha256 };
    // The front matter's delimiter/header are applied by the session, as in segbook run.
    if (isCsvLike(entry.fileName)) void this.#sniff(name, entry, csvOptionsOf(source));
    // Read again only for another file under the same name.
    if (isParquet(entry.fileName) && this.#columnsRead[name] !== entry.sha256) {
      this.#columnsRead[name] = entry.sha256;
      void this.#readColumns(name, entry);
    }
    return entry.picked ? { source: file, onMismatch: "warn" } : file;
  }

  /** Reads the column list of an added Parquet file for the columns picker (its footer only). */
  async #readColumns(name: string, entry: LocalEntry): Promise<void> {
    try {
      const { parquetColumns } = await import("../../engine/load-parquet.ts");
      this.parquetColumns = { ...this.parquetColumns, [name]: await parquetColumns(entry.file) };
    } catch (error) {
      this.parquetColumns = { ...this.parquetColumns, [name]: { error: messageOf(error) } };
    }
  }

  async #sniff(name: string, entry: LocalEntry, csv: CsvOptions): Promise<void> {
    const engine = this.#host.engine;
    if (!engine) return;
    try {
      const sniff = await engine.sniffCsv({ kind: "file", file: entry.file, fileName: entry.fileName }, { csv });
      this.sniffs = { ...this.sniffs, [name]: sniff };
    } catch (error) {
      this.sniffs = { ...this.sniffs, [name]: { error: messageOf(error) } };
    }
  }

  /**
   * Supplies a file from disk for data source `name`, whose file the server did not have, and loads
   * it. A file whose sha256 matches the front matter loads silently (and is kept in OPFS, so a
   * reload finds it); one that differs loads with the warning "data changed since this notebook was
   * written". The front matter is left as it is.
   */
  async provideMissing(name: string, file: Blob, fileName: string): Promise<void> {
    const source = this.#host.dataSources.find(([n]) => n === name)?.[1];
    if (!source) return;
    const sha256 = await hashFile(file);
    this.#remember(source.path, { file, fileName, sha256, picked: true });
    if (sha256 === source.sha256?.toLowerCase()) void storeFile(sha256, file, { fileName });
    this.#host.reloadData(name);
  }

  /**
   * Adds a file: hashes it (with progress), records it as data source `path` (default: its name) in
   * the front matter under a table name made from the file name, and keeps it in OPFS.
   */
  async addFile(file: Blob, fileName: string, path = fileName): Promise<string | undefined> {
    this.error = undefined;
    const item: Adding = { id: ++this.#lastId, fileName, fraction: 0 };
    this.adding = [...this.adding, item];
    const update = (fraction: number) =>
      (this.adding = this.adding.map((a) => (a.id === item.id ? { ...a, fraction } : a)));
    try {
      if (!isWorkbook(fileName)) resolveFormat(fileName);
      const sha256 = await hashFile(file, update);
      const sheets = isWorkbook(fileName) ? await sheetNames(file, fileName) : undefined;
      const existing = this.#host.dataSources.find(([, s]) => s.path === path)?.[0];
      const name = existing ?? uniqueTableName(fileName, this.#host.tableNames);
      this.#remember(path, { file, fileName, sha256, sheets, sheet: sheets?.[0] });
      this.#host.setDataSource(name, { path, sha256 });
      // Same path and content as before: the data node did not change, so load it again explicitly.
      if (existing) this.#host.reloadData(name);
      void storeFile(sha256, file, { fileName });
      return name;
    } catch (error) {
      this.error = `Could not add ${fileName}: ${messageOf(error).replace(/^loadFile: /, "")}`;
      return undefined;
    } finally {
      this.adding = this.adding.filter((a) => a.id !== item.id);
    }
  }

  /** Adds the file at `url` (relative URLs resolve against the notebook); its URL is the path. */
  async addUrl(url: string): Promise<string | undefined> {
    const trimmed = url.trim();
    if (!trimmed) return undefined;
    const fileName = sourceFileName({ kind: "url", url: trimmed });
    this.error = undefined;
    const item: Adding = { id: ++this.#lastId, fileName, fraction: 0 };
    this.adding = [...this.adding, item];
    let blob: Blob;
    try {
      // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a one-off computation, not state
      const absoluteUrl = new URL(trimmed, this.#host.url);
      const absolute = absoluteUrl.href;
      const allowed = refusedConnection(absolute);
      if (allowed) {
        throw new Error(
          `this tab runs a notebook from outside the site, so it connects only to the site${allowed.length ? ` and ${allowed.join(", ")}` : ""}. ` +
            `Open the site in a new tab to add data from ${absoluteUrl.origin}`,
        );
      }
      blob = await fetchWithProgress(
        { kind: "url", url: absolute },
        (fraction) => (this.adding = this.adding.map((a) => (a.id === item.id ? { ...a, fraction } : a))),
      );
    } catch (error) {
      this.error = `Could not add ${trimmed}: ${messageOf(error)}`;
      return undefined;
    } finally {
      this.adding = this.adding.filter((a) => a.id !== item.id);
    }
    return this.addFile(blob, fileName, trimmed);
  }

  /**
   * Sets how delimited-text table `name` is read (undefined: sniffed) by writing `delimiter` and
   * `header` into its front matter entry, which loads it again.
   * @example panel.setCsvOptions("cdnow", { delimiter: " ", header: true })
   */
  setCsvOptions(name: string, csv: Pick<CsvOptions, "delimiter" | "header">): void {
    const source = this.#host.dataSources.find(([n]) => n === name)?.[1];
    if (!source) return;
    this.#setSource(name, { ...source, delimiter: csv.delimiter, header: csv.header });
  }

  /**
   * Loads only `columns` of Parquet table `name` (undefined: all), written as `columns` in its front
   * matter entry, which loads it again.
   * @example panel.setColumns("orders", ["customer_id", "order_date", "amount"])
   */
  setColumns(name: string, columns: string[] | undefined): void {
    const source = this.#host.dataSources.find(([n]) => n === name)?.[1];
    if (!source) return;
    this.#setSource(name, { ...source, columns: columns?.length ? columns : undefined });
  }

  /**
   * Loads Excel table `name` from another sheet, written as `sheet` in its front matter entry.
   * @example panel.setSheet("sales", "Q3")
   */
  setSheet(name: string, sheet: string): void {
    const source = this.#host.dataSources.find(([n]) => n === name)?.[1];
    if (!source) return;
    this.#setSource(name, { ...source, sheet });
  }

  /** Writes a changed data source to the front matter (which reloads it), or reloads an unchanged one. */
  #setSource(name: string, next: DataSource): void {
    const clean = Object.fromEntries(Object.entries(next).filter(([, v]) => v !== undefined)) as DataSource;
    const current = this.#host.dataSources.find(([n]) => n === name)?.[1];
    const key = (source: DataSource | undefined) => JSON.stringify(Object.entries(source ?? {}).sort());
    // Nothing to write (Reload with the same choices): load it again explicitly.
    if (key(current) === key(clean)) return this.#host.reloadData(name);
    try {
      this.#host.setDataSource(name, clean);
    } catch (error) {
      this.error = `Could not change ${name}: ${messageOf(error).replace(/^setDataSource\("[^"]*"\): /, "")}`;
    }
  }

  /** Lists the engine's tables again (coalesced: one refresh at a time, one more if asked meanwhile). */
  refreshTables(): Promise<void> {
    if (this.#refreshing) {
      this.#refreshAgain = true;
      return this.#refreshing;
    }
    this.#refreshing = (async () => {
      do {
        this.#refreshAgain = false;
        const engine = this.#host.engine;
        if (!engine) break;
        try {
          // A cell's labels are recorded just after it reports ok: wait for the runs to be over.
          await this.#host.settled();
          const labels = this.#host.tableLabels();
          const listed = await listTables(engine, [...labels.keys()]);
          this.tables = listed
            .map((t) => {
              const label = labels.get(t.name);
              return { ...t, label: label?.name ?? t.name, ...(label && { cellId: label.cellId }) };
            })
            .sort((a, b) => a.label.toLowerCase().localeCompare(b.label.toLowerCase()));
        } catch {
          // A table dropped between listing and counting: the next refresh catches up.
          this.#refreshAgain = true;
          await new Promise((r) => setTimeout(r, 200));
        }
      } while (this.#refreshAgain);
      this.#refreshing = undefined;
    })();
    return this.#refreshing;
  }

  /**
   * "New notebook from this file": the text of a starter notebook for data source `name`, written
   * from the profile of its loaded table (real column names, types and figures), with the same
   * source in its front matter. `url` is where the new notebook's relative paths resolve: a path
   * that would point elsewhere from there is written absolute. The file is kept in OPFS first, so
   * the new page finds it by its sha256 (as a reload does).
   * @example const text = await nb.data.starterFor("mall_customers", "https://site/notebooks/untitled.md");
   */
  async starterFor(name: string, url: string): Promise<string> {
    const engine = this.#host.engine;
    const source = this.#host.dataSources.find(([n]) => n === name)?.[1];
    if (!engine || !source) throw new Error(`no data source "${name}" is loaded`);
    const entry = this.entries[source.path];
    if (entry) await storeFile(entry.sha256, entry.file, { fileName: entry.fileName });
    const profile = await profileTable(engine, name);
    /* eslint-disable svelte/prefer-svelte-reactivity -- one-off computations, not state */
    const here = new URL(source.path, this.#host.url).href;
    const path = new URL(source.path, url).href === here ? source.path : here;
    /* eslint-enable svelte/prefer-svelte-reactivity */
    return starterNotebook({
      table: name,
      fileName: entry?.fileName ?? sourceFileName({ kind: "url", url: source.path }),
      source: { ...source, path },
      columns: profile.columns,
    });
  }

  /** The name to show for engine table `name` (its label when a cell bound it to a name). */
  labelOf(name: string): string {
    return this.tables.find((t) => t.name === name)?.label ?? name;
  }

  /** Shows the profile of table `name` (undefined closes it), computed over all its rows. */
  async select(name: string | undefined): Promise<void> {
    this.selected = name;
    this.profile = undefined;
    this.profileError = undefined;
    const engine = this.#host.engine;
    if (name === undefined || !engine) return;
    this.profiling = true;
    try {
      const profile = await profileTable(engine, name);
      if (this.selected === name) this.profile = profile;
    } catch (error) {
      if (this.selected === name) this.profileError = messageOf(error);
    } finally {
      if (this.selected === name) this.profiling = false;
    }
  }
}

/** Fetches a URL source into a Blob, reporting the fraction received when the size is known. */
async function fetchWithProgress(source: FileSource, onProgress: (fraction: number) => void): Promise<Blob> {
  if (source.kind !== "url") throw new Error("only URL sources are fetched");
  const response = await fetch(source.url);
  if (!response.ok) throw new Error(`HTTP ${response.status} ${response.statusText}`.trim() + ` for ${source.url}`);
  const total = Number(response.headers.get("content-length") ?? 0);
  if (!response.body || !total) return response.blob();
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    received += value.length;
    onProgress(Math.min(1, received / total));
  }
  return new Blob(chunks as BlobPart[]);
}
