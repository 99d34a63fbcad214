/**
 * Assertions of the `seg` contract (src/seg/contract.ts), shared by the contract tests: a table
 * result carries JSON-able `info` and `warnings` and nothing else beyond the handle; a clustering
 * result also carries a `model` whose `assign` and `toJSON` work.
 */
import { expect } from "vitest";
import { segmentColumnOf } from "../../../src/seg/seg-result.ts";

const HANDLE_KEYS = new Set(["kind", "name", "numRows", "columns", "rows", "column", "arrow", "arquero"]);

/** Fails unless `value` is a table handle with `info` (plain, JSON round-trippable) and `warnings` only. */
export function expectSegTable(value: unknown, fn: string): void {
  const table = value as Record<string, unknown>;
  expect(table?.kind, `${fn}: a table handle`).toBe("table");
  expect(typeof table.info, `${fn}: info`).toBe("object");
  expect(Array.isArray(table.warnings), `${fn}: warnings`).toBe(true);
  const extra = Object.keys(table).filter((key) => !HANDLE_KEYS.has(key) && key !== "info" && key !== "warnings");
  expect(
    extra.filter((key) => key !== "model"),
    `${fn}: properties beyond info, warnings (and model)`,
  ).toEqual([]);
  // info is data: it survives JSON unchanged (no typed arrays, handles, functions or Dates).
  expect(JSON.parse(JSON.stringify(table.info)), `${fn}: info is JSON-able`).toEqual(table.info);
  for (const warning of table.warnings as unknown[]) expect(typeof warning).toBe("string");
}

/** Fails unless `value` is a clustering result: labels SegTable marked on `cluster`, plus a working model. */
export function expectClusterResult(value: unknown, fn: string): void {
  expectSegTable(value, fn);
  const result = value as {
    info: Record<string, unknown>;
    model: Record<string, unknown>;
    columns: { name: string }[];
  };
  expect(result.columns.map((c) => c.name)).toContain("cluster");
  expect(segmentColumnOf(result), `${fn}: segment column marked`).toBe("cluster");
  for (const key of ["method", "k", "sizes", "n", "dropped", "seed"])
    expect(result.info, `${fn}: info.${key}`).toHaveProperty(key);
  const model = result.model;
  expect(typeof model?.assign, `${fn}: model.assign`).toBe("function");
  const json = JSON.parse(JSON.stringify(model)) as Record<string, unknown>;
  for (const key of ["method", "k", "features", "id", "parameters"])
    expect(json, `${fn}: model JSON ${key}`).toHaveProperty(key);
  expect(json.method).toBe(result.info.method);
}
