/**
 * Golden tests for the cell compiler: each file in compile/input is compiled and compared with the
 * committed compile/output/<file>.json. UPDATE_GOLDEN=1 rewrites the outputs (never done on CI);
 * otherwise a mismatch writes <file>-changed.json next to the golden for review.
 */
import { readdirSync, readFileSync, writeFileSync, existsSync, rmSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { compileCell } from "../../src/runtime/compile-cell.ts";
import type { CellKind } from "../../src/notebook/model.ts";

const root = path.join(import.meta.dirname, "compile");
const inputs = readdirSync(path.join(root, "input")).sort();
const kindOf: Record<string, CellKind> = { ".ts": "ts", ".js": "js", ".sql": "sql", ".md": "md" };

describe("compileCell", () => {
  test.each(inputs)("compileCell(%s) matches its golden output", (file) => {
    const source = readFileSync(path.join(root, "input", file), "utf8");
    const kind = kindOf[path.extname(file)]!;
    const compiled = compileCell({ kind, source, ...(kind === "sql" ? { name: "result" } : {}) });
    const actual = `${JSON.stringify(compiled, null, 2)}\n`;
    const golden = path.join(root, "output", `${file}.json`);
    const changed = path.join(root, "output", `${file}-changed.json`);
    if (process.env.UPDATE_GOLDEN === "1" || !existsSync(golden)) {
      if (process.env.CI) throw new Error(`missing golden ${golden}; run UPDATE_GOLDEN=1 locally and commit it`);
      writeFileSync(golden, actual);
    }
    const expected = readFileSync(golden, "utf8");
    if (actual !== expected) writeFileSync(changed, actual);
    else if (existsSync(changed)) rmSync(changed);
    expect(actual).toBe(expected);
  });

  test("every compiled code body is a valid async function body", () => {
    const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor;
    for (const file of inputs) {
      const source = readFileSync(path.join(root, "input", file), "utf8");
      const kind = kindOf[path.extname(file)]!;
      const compiled = compileCell({ kind, source });
      if (compiled.error) continue;
      const body =
        compiled.kind === "code" ? compiled.body : compiled.kind === "sql" ? compiled.paramsBody : compiled.valuesBody;
      expect(() => new AsyncFunction(...compiled.inputs, body), file).not.toThrow();
    }
  });
});
