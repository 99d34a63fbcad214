/**
 * One table-handle test (src/engine/is-table-handle.ts) for the runtime, `seg` and the reports: a
 * real handle from the engine passes, look-alikes do not.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../src/engine/engine.ts";
import { isTableHandle } from "../../src/engine/is-table-handle.ts";
import { createNodeEngine } from "../../src/engine/node.ts";
import { createTableHandle } from "../../src/engine/table-handle.ts";
import { isTableHandle as runtimeIsTableHandle } from "../../src/runtime/index.ts";

let engine: Engine;
beforeAll(async () => {
  engine = await createNodeEngine();
  await engine.exec("CREATE TABLE orders AS SELECT range AS id FROM range(3)");
});
afterAll(() => engine.close());

describe("isTableHandle(value)", () => {
  it("is true for a handle the engine made", async () => {
    const handle = await createTableHandle(engine, "orders");
    expect(isTableHandle(handle)).toBe(true);
    expect(runtimeIsTableHandle).toBe(isTableHandle); // the runtime's is this one, not a copy
  });

  it.each([
    ["an Arrow table", async () => engine.query("SELECT 1 AS a")],
    ["rows", async () => [{ kind: "table", name: "x" }]],
    ["a table name", async () => "orders"],
    ["an object of kind table without a name", async () => ({ kind: "table" })],
    ["null", async () => null],
    ["undefined", async () => undefined],
  ])("is false for %s", async (_, make) => {
    expect(isTableHandle(await make())).toBe(false);
  });
});
