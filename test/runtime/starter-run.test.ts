/**
 * Integration: starter notebooks written for the real shared datasets run green, every cell, in the
 * real runtime on duckdb-wasm in Node. The columns come from the engine's own profile of the file,
 * as "New notebook from this file" gets them in the browser.
 */
import path from "node:path";
import { describe, expect, test } from "vitest";
import { profileTable } from "../../src/engine/profile.ts";
import { parse } from "../../src/notebook/index.ts";
import { starterNotebook } from "../../src/notebook/starter.ts";
import { createNodeDocument, nodeLibraries } from "../../src/cli/node-libraries.ts";
import { openSession } from "../helpers/session.ts";

const DATASETS = [
  {
    table: "mall_customers",
    file: "../shared/datasets/mall_customers/Mall_Customers.csv",
    expect: ["chooseK", "kmeans"],
  },
  {
    table: "wholesale_customers",
    file: "../shared/datasets/wholesale/wholesale_customers.csv",
    expect: ["log1p", "kmeans"],
  },
  { table: "online_retail", file: "../shared/datasets/online_retail/online_retail.csv", expect: ["seg.rfm", "kmeans"] },
];

describe("starterNotebook() on the shared datasets", () => {
  test.each(DATASETS)(
    "starterNotebook($table) runs every cell ok in a Session",
    async ({ table, file, expect: calls }) => {
      // As `segbook run` makes it: charts draw into a DOM made in Node. One engine for the file.
      const document = createNodeDocument();
      const { session, engine, close } = await openSession({ libraries: nodeLibraries(document), seg: { document } });
      try {
        const loaded = await engine.loadFile(table, { kind: "path", path: file });
        const profile = await profileTable(engine, table);
        await engine.exec(`DROP TABLE ${table}`);
        const text = starterNotebook({
          table,
          fileName: path.basename(file),
          source: { path: file, sha256: loaded.sha256 },
          columns: profile.columns,
        });
        for (const call of calls) expect(text).toContain(call);
        const { notebook, issues } = parse(text);
        expect(issues).toEqual([]);
        expect(notebook.frontMatter.data[table]).toEqual({ path: file, sha256: loaded.sha256 });
        session.setNotebook(notebook);
        await session.settled();
        const failures = session
          .ids()
          .map((id) => ({ id, state: session.state(id)! }))
          .filter(({ state }) => state.status !== "ok")
          .map(({ id, state }) => `${id}: ${state.status} ${state.error?.message ?? ""}`);
        expect(failures).toEqual([]);
        if (process.env.STARTER_OUT)
          (await import("node:fs")).writeFileSync(`${process.env.STARTER_OUT}/${table}.md`, text);
        expect(session.ids().length).toBe(notebook.cells.length + 1);
      } finally {
        await close();
      }
    },
    180_000,
  );
});
