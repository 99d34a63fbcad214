/**
 * Session behaviour over time: editing re-runs exactly the dependants, deleting removes variables,
 * superseded results never show, data sources load and are checked, randomness is seeded.
 */
import { describe, expect, test } from "vitest";
import type { TableHandle } from "../../src/engine/table-handle-types.ts";
import type { Cell } from "../../src/notebook/model.ts";
import { cells, notebook, openSession, runNotebook } from "../helpers/session.ts";

const edit = (list: Cell[], index: number, source: string): Cell[] =>
  list.map((c, i) => (i === index ? { ...c, source } : c));

describe("Session edits", () => {
  test("setCells(edited) re-runs the edited cell and its dependants only", async () => {
    const { session, close } = await openSession();
    try {
      let list = cells(["const a = 1", "const b = a + 1", "const other = 5", "b * 10"]);
      session.setCells(list);
      await session.settled();
      const runsBefore = list.map((c) => session.state(c.id)!.runs);
      expect(runsBefore).toEqual([1, 1, 1, 1]);
      list = edit(list, 0, "const a = 2");
      session.setCells(list);
      await session.settled();
      expect(list.map((c) => session.state(c.id)!.runs)).toEqual([2, 2, 1, 2]);
      expect(session.state("c3")!.value).toBe(30);
    } finally {
      await close();
    }
  });

  test("setCells(without a cell) removes its variables so readers report them undefined", async () => {
    const { session, close } = await openSession();
    try {
      const list = cells(["const a = 1", "a + 1"]);
      session.setCells(list);
      await session.settled();
      expect(session.state("c1")!.value).toBe(2);
      session.setCells([list[1]!]);
      await session.settled();
      expect(session.state("c0")).toBeUndefined();
      expect(session.state("c1")!.status).toBe("error");
      expect(session.state("c1")!.error!.message).toBe("a is not defined");
    } finally {
      await close();
    }
  });

  test("setCells(edited while running) never shows the superseded result", async () => {
    const { session, close } = await openSession();
    try {
      const seen: unknown[] = [];
      session.subscribe((id, state) => {
        if (id === "c1" && state?.status === "ok") seen.push(state.value);
      });
      let list = cells(["const v = await new Promise((r) => setTimeout(() => r('old'), 200))", "v"]);
      session.setCells(list);
      await new Promise((r) => setTimeout(r, 20));
      expect(session.state("c0")!.status).toBe("running");
      list = edit(list, 0, "const v = 'new'");
      session.setCells(list);
      await session.settled();
      await new Promise((r) => setTimeout(r, 250));
      expect(seen).toEqual(["new"]);
      expect(session.state("c1")!.value).toBe("new");
    } finally {
      await close();
    }
  });

  test("setCells(fixed) unblocks dependants of a cell that had failed", async () => {
    const { session, close } = await openSession();
    try {
      let list = cells(["const a = nope", "a * 2"]);
      session.setCells(list);
      await session.settled();
      expect(session.state("c1")!.status).toBe("blocked");
      list = edit(list, 0, "const a = 4");
      session.setCells(list);
      await session.settled();
      expect(session.state("c1")!.value).toBe(8);
    } finally {
      await close();
    }
  });

  test("a cell with a syntax error keeps its names, so readers are blocked rather than undefined", async () => {
    const { session, close } = await openSession();
    try {
      let list = cells(["const a = 1", "a + 1"]);
      session.setCells(list);
      await session.settled();
      list = edit(list, 0, "const a = ");
      session.setCells(list);
      await session.settled();
      expect(session.state("c0")!.status).toBe("error");
      expect(session.state("c1")!.status).toBe("blocked");
    } finally {
      await close();
    }
  });

  test("removing a named SQL cell drops its table; renaming it drops the old name", async () => {
    const { session, engine, close } = await openSession();
    try {
      const tables = async () =>
        (await engine.query("SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' ORDER BY 1"))
          .toArray()
          .map((r) => String(r.table_name));
      let list = cells([{ kind: "sql", name: "first", source: "SELECT 1 AS x" }]);
      session.setCells(list);
      await session.settled();
      expect(await tables()).toEqual(["first"]);
      list = [{ ...list[0]!, name: "second" }];
      session.setCells(list);
      await session.settled();
      expect(await tables()).toEqual(["second"]);
      session.setCells([]);
      await session.settled();
      await new Promise((r) => setTimeout(r, 10));
      expect(await tables()).toEqual([]);
    } finally {
      await close();
    }
  });

  test("db.query tables of a cell are dropped when it re-runs", async () => {
    const { session, engine, close } = await openSession();
    try {
      const temps = async () =>
        Number(
          (
            await engine.query(
              "SELECT count(*) AS n FROM information_schema.tables WHERE table_name LIKE '__segbook_t%'",
            )
          ).toArray()[0]!.n,
        );
      const list = cells(["const h = await db.query('SELECT 1 AS a')"]);
      session.setCells(list);
      await session.settled();
      expect(await temps()).toBe(1);
      session.runCell("c0");
      await session.settled();
      session.runCell("c0");
      await session.settled();
      expect(await temps()).toBe(1);
    } finally {
      await close();
    }
  });
});

describe("Session data and seeds", () => {
  test("setNotebook(data) loads front-matter data as tables SQL and TS can read", async () => {
    const nb = notebook(
      [
        {
          kind: "sql",
          name: "by_gender",
          source: "SELECT Gender, count(*)::INTEGER AS n FROM mall GROUP BY Gender ORDER BY Gender",
        },
        "mall.numRows",
      ],
      {
        data: {
          mall: {
            path: "../shared/datasets/mall_customers/Mall_Customers.csv",
            sha256: "20820f6d95c1770ee542bacb18b6085eb80e83dad7d1798f74f65daacf05eac0",
          },
        },
      },
    );
    const { states, close } = await runNotebook(nb);
    try {
      expect(states.get("data:mall")!.status).toBe("ok");
      expect(await (states.get("c0")!.value as TableHandle).rows()).toEqual([
        { Gender: "Female", n: 112 },
        { Gender: "Male", n: 88 },
      ]);
      expect(states.get("c1")!.value).toBe(200);
    } finally {
      await close();
    }
  });

  test("setNotebook(data with a wrong sha256) fails the data source and blocks its readers", async () => {
    const nb = notebook(["mall.numRows"], {
      data: { mall: { path: "../shared/datasets/mall_customers/Mall_Customers.csv", sha256: "0".repeat(64) } },
    });
    const { states, close } = await runNotebook(nb);
    try {
      expect(states.get("data:mall")!.status).toBe("error");
      expect(states.get("data:mall")!.error!.message).toMatch(/sha256 .* update sha256 in the front matter/);
      expect(states.get("c0")!.status).toBe("blocked");
    } finally {
      await close();
    }
  });

  test("random() is the same for the same seed and differs for another seed", async () => {
    const draw = async (seed: number) => {
      const { states, close } = await runNotebook(notebook(["Array.from({length: 4}, () => random())"], { seed }));
      await close();
      return states.get("c0")!.value as number[];
    };
    const a = await draw(7);
    expect(await draw(7)).toEqual(a);
    expect(await draw(8)).not.toEqual(a);
  });
});

describe("Session replacing cells", () => {
  test("setCells(delete SQL cell x, add another SQL cell x) keeps the new table", async () => {
    const { session, close } = await openSession();
    try {
      session.setCells(cells([{ kind: "sql", name: "x", source: "SELECT 1 AS v" }]));
      await session.settled();
      const replaced = [
        { id: "other", kind: "sql" as const, name: "x", source: "SELECT 2 AS v" },
        ...cells(["(await x.rows())[0].v"]).map((c) => ({ ...c, id: "reader" })),
      ];
      session.setCells(replaced);
      await session.settled();
      expect(session.state("reader")!.value).toBe(2);
      session.runCell("reader");
      await session.settled();
      expect(session.state("reader")!.value).toBe(2);
    } finally {
      await close();
    }
  });
});
