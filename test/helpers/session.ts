/**
 * Test helpers: run cells in a real Session on the real (Node) DuckDB engine and read back states.
 *
 * Sessions share one engine per test file: starting duckdb-wasm costs about 2 s of CPU (Emscripten
 * links its ~100k symbols in JavaScript), more than most tests themselves. Each test still starts from
 * an empty database: closing a session drops every table, view and macro it left and restores any
 * setting it changed, and fails the test if anything is left over. Pass `{fresh: true}` for a test
 * that needs an engine of its own (e.g. one it closes itself).
 */
import * as aq from "arquero";
import { afterAll } from "vitest";
import path from "node:path";
import type { Engine } from "../../src/engine/engine.ts";
import { createNodeEngine } from "../../src/engine/node.ts";
import type { Cell, CellKind, DataSource, Notebook } from "../../src/notebook/model.ts";
import { Session, type CellState, type SessionOptions } from "../../src/runtime/index.ts";
import type { SegEnvironment } from "../../src/seg/context.ts";
import { segLibrary } from "../../src/seg/library.ts";

/** A cell as written in a test table. */
export interface TestCell {
  kind?: CellKind;
  source: string;
  name?: string;
}

/** Builds saved cells with ids c0, c1, … from the table. */
export function cells(list: readonly (TestCell | string)[]): Cell[] {
  return list.map((c, i) => {
    const t = typeof c === "string" ? { source: c } : c;
    return { id: `c${i}`, kind: t.kind ?? "ts", source: t.source, ...(t.name ? { name: t.name } : {}) };
  });
}

/** A notebook from cells and optional front matter pieces. */
export function notebook(
  list: readonly (TestCell | string)[],
  options: { seed?: number; data?: Record<string, DataSource> } = {},
): Notebook {
  return {
    frontMatter: { data: options.data ?? {}, ...(options.seed === undefined ? {} : { seed: options.seed }) },
    cells: cells(list),
  };
}

/** Resolves data paths against the repository root, as the CLI resolves them against a notebook. */
export const repoRoot = path.resolve(import.meta.dirname, "../..");

/** The file's shared engine and its settings as they were when it started. */
let shared: Promise<{ engine: Engine; settings: Map<string, string> }> | undefined;

// Vitest isolates test files, so this module (and its engine) is per file; close it when the file ends.
afterAll(async () => {
  const current = shared;
  shared = undefined;
  if (current) await (await current).engine.close();
});

async function settingsOf(engine: Engine): Promise<Map<string, string>> {
  const rows = (await engine.query("SELECT name, value FROM duckdb_settings()")).toArray();
  return new Map(rows.map((r) => [String(r.name), String(r.value)]));
}

const quoteId = (name: string) => `"${name.replaceAll('"', '""')}"`;

/**
 * Empties the shared engine after a test: drops what is left in the catalog (tables, views, macros,
 * sequences, types, in every schema but the built-in ones), restores settings the test changed, and
 * throws naming whatever could not be removed, so no test sees another's leftovers.
 */
async function resetEngine(engine: Engine, settings: Map<string, string>): Promise<void> {
  const leftovers = async () =>
    (
      await engine.query(`
        SELECT 'VIEW' AS kind, database_name AS db, schema_name AS s, view_name AS name FROM duckdb_views() WHERE NOT internal
        UNION ALL SELECT 'TABLE', database_name, schema_name, table_name FROM duckdb_tables() WHERE NOT internal
        UNION ALL SELECT DISTINCT 'MACRO', database_name, schema_name, function_name FROM duckdb_functions()
          WHERE NOT internal AND function_type IN ('macro', 'table_macro')
        UNION ALL SELECT 'SEQUENCE', database_name, schema_name, sequence_name FROM duckdb_sequences()
        UNION ALL SELECT 'TYPE', database_name, schema_name, type_name FROM duckdb_types() WHERE NOT internal
        UNION ALL SELECT 'SCHEMA', database_name, schema_name, schema_name FROM duckdb_schemas()
          WHERE NOT internal AND schema_name NOT IN ('main', 'pg_catalog', 'information_schema')`)
    ).toArray() as { kind: string; db: string; s: string; name: string }[];
  for (const { kind, db, s, name } of await leftovers()) {
    const what = kind === "SCHEMA" ? quoteId(db) + "." + quoteId(s) : [db, s, name].map(quoteId).join(".");
    await engine.exec(`DROP ${kind} IF EXISTS ${what} CASCADE`).catch(() => undefined);
  }
  const changed = async () =>
    [...(await settingsOf(engine))].filter(([name, value]) => settings.get(name) !== value).map(([name]) => name);
  // RESET gives DuckDB's default (exact, where a SET of the shown value may round, e.g. "3.1 GiB");
  // settings the engine itself set at start-up go back to their start-up value.
  for (const name of await changed()) await engine.exec(`RESET ${name}`).catch(() => undefined);
  for (const name of await changed()) {
    await engine.exec(`SET ${name} = '${settings.get(name)!.replaceAll("'", "''")}'`).catch(() => undefined);
  }
  const left = await leftovers();
  const unrestored = await changed();
  if (left.length || unrestored.length) {
    const what = [...left.map((l) => `${l.kind} ${l.s}.${l.name}`), ...unrestored.map((n) => `setting ${n}`)];
    throw new Error(`test engine not clean after the test: ${what.join(", ")}`);
  }
}

/**
 * A session on the test file's shared Node engine (or, with `{fresh: true}`, on an engine of its
 * own) with `aq` as its library unless `libraries` says otherwise; relative paths resolve against the
 * repository root. `close()` disposes it and leaves the engine as empty as it started.
 *
 * @example
 * const { session, close } = await openSession();
 * try { session.setCells(cells(["1 + 1"])); await session.settled(); } finally { await close(); }
 */
export async function openSession(
  options: { fresh?: boolean; seg?: SegEnvironment } & Pick<SessionOptions, "libraries" | "connect"> = {},
): Promise<{ session: Session; engine: Engine; close: () => Promise<void> }> {
  let engine: Engine;
  let release: () => Promise<void>;
  if (options.fresh) {
    engine = await createNodeEngine({ baseDir: repoRoot });
    release = () => engine.close();
  } else {
    shared ??= createNodeEngine({ baseDir: repoRoot }).then(async (e) => ({
      engine: e,
      settings: await settingsOf(e),
    }));
    const current = await shared;
    engine = current.engine;
    release = () => resetEngine(current.engine, current.settings);
  }
  const session = new Session({
    engine,
    libraries: options.libraries ?? { aq },
    cellLibraries: { seg: segLibrary(options.seg) },
    resolveData: (_name, source) => ({ kind: "path", path: path.resolve(repoRoot, source.path) }),
    ...(options.connect && { connect: options.connect }),
  });
  return {
    session,
    engine,
    close: async () => {
      await session.dispose();
      await release();
    },
  };
}

/** Runs a notebook to completion and returns each cell's final state, by cell id. */
export async function runNotebook(
  nb: Notebook,
): Promise<{ states: Map<string, CellState>; session: Session; close: () => Promise<void> }> {
  const { session, close } = await openSession();
  session.setNotebook(nb);
  await session.settled();
  const states = new Map(session.ids().map((id) => [id, session.state(id)!]));
  return { states, session, close };
}
