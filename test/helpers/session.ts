/**
 * Test helpers: run cells in a real Session on the real (Node) DuckDB engine and read back states.
 */
import * as aq from "arquero";
import path from "node:path";
import type { Engine } from "../../src/engine/engine.ts";
import { createNodeEngine } from "../../src/engine/node.ts";
import type { Cell, CellKind, DataSource, Notebook } from "../../src/notebook/model.ts";
import { Session, type CellState } from "../../src/runtime/index.ts";
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

/** A session on a fresh Node engine. */
export async function openSession(): Promise<{ session: Session; engine: Engine; close: () => Promise<void> }> {
  const engine = await createNodeEngine();
  const session = new Session({
    engine,
    libraries: { aq },
    cellLibraries: { seg: segLibrary() },
    resolveData: (_name, source) => ({ kind: "path", path: path.resolve(repoRoot, source.path) }),
  });
  return {
    session,
    engine,
    close: async () => {
      await session.dispose();
      await engine.close();
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
