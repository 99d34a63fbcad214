/**
 * Test helpers for the segmentation library: a real Node engine with shared datasets loaded, and a
 * SegContext on it as a cell would have.
 */
import path from "node:path";
import type { Engine } from "../../src/engine/engine.ts";
import { createNodeEngine } from "../../src/engine/node.ts";
import { createCellDb } from "../../src/runtime/cell-db.ts";
import type { SegContext } from "../../src/seg/context.ts";

/** The shared datasets tests use, by table name (paths relative to the repository root). */
export const DATASETS = {
  mall: "../shared/datasets/mall_customers/Mall_Customers.csv",
  wholesale: "../shared/datasets/wholesale/wholesale_customers.csv",
} as const;

const repoRoot = path.resolve(import.meta.dirname, "../..");

/** A Node engine (paths resolve against the repository root) with the named datasets loaded. */
export async function openDatasets(names: readonly (keyof typeof DATASETS)[]): Promise<Engine> {
  const engine = await createNodeEngine({ baseDir: repoRoot });
  for (const name of names) await engine.loadFile(name, { kind: "path", path: DATASETS[name] });
  return engine;
}

/** A cell-like context on `engine`: tables it makes are temp tables, the seed is the notebook default. */
export function segContext(engine: Engine, seed = 42): SegContext {
  return { db: createCellDb(engine).db, seed };
}
