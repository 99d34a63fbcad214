/**
 * decodeIpc(bytes): large results decoded batch by batch equal tableFromIPC's, including types,
 * empty results and results under the chunking threshold.
 */
import { tableFromArrays, tableFromIPC, tableToIPC } from "apache-arrow";
import { describe, expect, it } from "vitest";
import { decodeIpc } from "../../src/engine/decode-ipc.ts";
import { createNodeEngine } from "../../src/engine/node.ts";

describe("decodeIpc(bytes)", () => {
  it("decodes a many-batch DuckDB result of over 4 MB like tableFromIPC, giving the event loop turns", async () => {
    const engine = await createNodeEngine();
    try {
      const table = await engine.query(
        "SELECT range AS id, range * 0.5 AS x, 'c' || (range % 7) AS label FROM range(400000)",
      );
      const bytes = tableToIPC(table, "stream");
      expect(bytes.byteLength).toBeGreaterThan(4 * 2 ** 20);
      // With a 0 ms slice it yields after every batch: a timer set after the call runs before it ends.
      let timerRan = false;
      const decoding = decodeIpc(bytes, 0);
      setTimeout(() => (timerRan = true), 0);
      const decoded = await decoding;
      expect(timerRan).toBe(true);
      const reference = tableFromIPC(bytes);
      expect(decoded.numRows).toBe(400000);
      expect(decoded.batches.length).toBe(reference.batches.length);
      expect(decoded.schema.fields.map((f) => `${f.name}:${f.type}`)).toEqual(
        reference.schema.fields.map((f) => `${f.name}:${f.type}`),
      );
      for (const row of [0, 1, 2047, 2048, 399999])
        expect(decoded.get(row)!.toJSON()).toEqual(reference.get(row)!.toJSON());
    } finally {
      await engine.close();
    }
  });

  it.each([
    ["empty", tableFromArrays({ a: new Float64Array(0) })],
    ["small", tableFromArrays({ a: Float64Array.from([1, 2, 3]), b: ["x", "y", "z"] })],
  ])("decodes a %s result with its schema", async (_, table) => {
    const bytes = tableToIPC(table, "stream");
    let timerRan = false;
    const decoding = decodeIpc(bytes, 0);
    setTimeout(() => (timerRan = true), 0);
    const decoded = await decoding;
    expect(timerRan).toBe(false); // small results decode in one go
    expect(decoded.numRows).toBe(table.numRows);
    expect(decoded.schema.fields.map((f) => f.name)).toEqual(table.schema.fields.map((f) => f.name));
  });
});
