/**
 * What the editor's TypeScript service is told about a notebook: its tables as handles typed by their
 * DuckDB columns, on top of the builtins generated from the source (test/ui/build/cell-types.test.ts).
 */
import { beforeAll, describe, expect, test } from "vitest";
import ts from "typescript";
import { notebookDeclarations, rowType, tsTypeOf } from "../../../src/ui/editor/workbench-types.ts";
import { generateCellTypes } from "../../../src/ui/build/cell-types.ts";
import { repoRoot } from "../../helpers/session.ts";

let builtins = "";
beforeAll(() => {
  builtins = generateCellTypes(repoRoot).text;
}, 180_000);

/** Diagnostics of `cell` type-checked against the declarations, as the editor checks a TS cell. */
function diagnostics(cell: string, extra = ""): string[] {
  const files: Record<string, string> = {
    "/builtins.d.ts": builtins,
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
  // Only the cell's: checking the 800 kB of builtins each time would take seconds (cell-types.test.ts does once).
  const cellFile = program.getSourceFile("/cell.ts")!;
  return [...program.getSyntacticDiagnostics(cellFile), ...program.getSemanticDiagnostics(cellFile)]
    .filter((d) => d.code !== 1375 && d.code !== 1378)
    .map((d) => `${d.file?.fileName}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
}

describe("workbench types", () => {
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
