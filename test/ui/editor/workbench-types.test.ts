/**
 * What the editor's TypeScript service is told: builtin declarations that compile, `seg` names that
 * match the runtime's, and table handles typed by their DuckDB columns.
 */
import { describe, expect, test } from "vitest";
import ts from "typescript";
import {
  notebookDeclarations,
  rowType,
  SEG_DECLARATIONS,
  tsTypeOf,
  WORKBENCH_DECLARATIONS,
} from "../../../src/ui/editor/workbench-types.ts";
import { createSeg } from "../../../src/seg/namespace.ts";

/** Diagnostics of `cell` type-checked against the declarations, as the editor checks a TS cell. */
function diagnostics(cell: string, extra = ""): string[] {
  const files: Record<string, string> = {
    "/builtins.d.ts": WORKBENCH_DECLARATIONS,
    "/notebook.d.ts": extra,
    "/cell.ts": cell,
  };
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ESNext,
    lib: ["lib.esnext.d.ts", "lib.dom.d.ts"],
    types: [],
    noEmit: true,
  };
  const host = ts.createCompilerHost(options);
  const read = host.getSourceFile.bind(host);
  host.getSourceFile = (name, version) =>
    name in files ? ts.createSourceFile(name, files[name]!, version) : read(name, version);
  const program = ts.createProgram(Object.keys(files), options, host);
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.code !== 1375 && d.code !== 1378)
    .map((d) => `${d.file?.fileName}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
}

describe("workbench types", () => {
  test("SEG_DECLARATIONS names exactly the functions createSeg gives cells", () => {
    const seg = createSeg({ db: {} as never, seed: 1 });
    expect(Object.keys(SEG_DECLARATIONS).sort()).toEqual(Object.keys(seg).sort());
  });

  test("WORKBENCH_DECLARATIONS type-checks a cell using every builtin", () => {
    const cell = [
      "const t = await db.query('SELECT 1 AS x', [1]);",
      "const rows: Record<string, any>[] = await t.rows(5);",
      "const u = await sql`SELECT ${seed} AS s`;",
      "display(md`**${u.numRows}** ${random()}`);",
      "const k: number = view(Inputs.range([2, 12], { step: 1, value: 5 }));",
      "const picked: { a: number }[] = view(Inputs.table([{ a: 1 }]));",
      "const model = await seg.kmeans(t, { k: 3 });",
      "const chart: Element = await seg.charts.segmentSizes(model, {});",
      "invalidation.then(() => {});",
    ].join("\n");
    expect(diagnostics(cell)).toEqual([]);
  });

  test("notebookDeclarations(names, tables) types rows by the live columns; a wrong field is an error", () => {
    const extra = notebookDeclarations(
      ["segments", "pending", "not-an-identifier"],
      [
        {
          name: "segments",
          columns: [
            { name: "customer_id", type: "BIGINT" },
            { name: "segment", type: "VARCHAR" },
          ],
        },
      ],
    );
    expect(extra).toBe(
      "declare const segments: TableHandle<{ customer_id: number; segment: string }>;\n" +
        "declare const pending: TableHandle<Record<string, any>>;",
    );
    const ok = "const r = (await segments.rows())[0]; const s: string = r.segment; const n: number = r.customer_id;";
    expect(diagnostics(ok, extra)).toEqual([]);
    expect(diagnostics("const r = (await segments.rows())[0]; r.segmnt;", extra).join()).toMatch(/segmnt/);
  });

  test.each([
    ["BIGINT", "number"],
    ["DECIMAL(18,3)", "number"],
    ["DOUBLE", "number"],
    ["VARCHAR", "string"],
    ["BOOLEAN", "boolean"],
    ["DATE", "Date"],
    ["TIMESTAMP WITH TIME ZONE", "Date"],
    ["INTEGER[]", "number[]"],
    ["STRUCT(a INTEGER)", "any"],
  ])("tsTypeOf(%s) is %s", (duckdb, expected) => {
    expect(tsTypeOf(duckdb)).toBe(expected);
  });

  test("rowType quotes column names that are not identifiers", () => {
    expect(rowType([{ name: "order date", type: "DATE" }])).toBe('{ "order date": Date }');
    expect(rowType([])).toBe("Record<string, any>");
  });
});
