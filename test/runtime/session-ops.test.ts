/**
 * Session calls behind the workbench's cell operations: runCells ("run from here"), stopWaiting and
 * links (the dependency view).
 */
import { describe, expect, test } from "vitest";
import { cells, notebook, openSession } from "../helpers/session.ts";

describe("Session cell operations", () => {
  test("runCells([id]) re-runs that cell and its dependants, nothing else", async () => {
    const { session, close } = await openSession();
    try {
      const list = cells(["const a = 1", "const b = 2", "a + b", "const c = 3"]);
      session.setCells(list);
      await session.settled();
      session.runCells(["c1"]);
      await session.settled();
      expect(list.map((c) => session.state(c.id)!.runs)).toEqual([1, 2, 2, 1]);
    } finally {
      await close();
    }
  });

  test("stopWaiting() marks waiting cells failed and drops their late results", async () => {
    const { session, close } = await openSession();
    try {
      const list = cells(["const v = await new Promise((r) => setTimeout(() => r(1), 300))", "v + 1", "const x = 5"]);
      session.setCells(list);
      await new Promise((r) => setTimeout(r, 50));
      expect(session.state("c0")!.status).toBe("running");
      expect(session.stopWaiting().sort()).toEqual(["c0", "c1"]);
      expect(session.state("c0")).toMatchObject({
        status: "error",
        error: { message: expect.stringMatching(/Stopped waiting/) },
      });
      await new Promise((r) => setTimeout(r, 400));
      expect(session.state("c0")!.status).toBe("error");
      expect(session.state("c1")!.status).toBe("error");
      expect(session.state("c2")).toMatchObject({ status: "ok" });
      // Running again works as usual.
      session.runCells(["c0"]);
      await session.settled();
      expect(session.state("c1")).toMatchObject({ status: "ok", value: 2 });
    } finally {
      await close();
    }
  });

  test("links(id) lists what a cell reads (with names, SQL table references too) and who reads it", async () => {
    const { session, close } = await openSession();
    try {
      const list = cells([
        "const k = 3",
        { kind: "sql", name: "t", source: "SELECT ${k} AS k" },
        { kind: "sql", name: "u", source: "SELECT * FROM t" },
        "const both = [k, u]",
      ]);
      session.setCells(list);
      await session.settled();
      expect(session.links("c0")).toEqual({
        reads: [],
        readBy: [
          { id: "c1", names: ["k"] },
          { id: "c3", names: ["k"] },
        ],
      });
      expect(session.links("c2")).toEqual({
        reads: [{ id: "c1", names: ["t"] }],
        readBy: [{ id: "c3", names: ["u"] }],
      });
      expect(session.links("nope")).toBeUndefined();
    } finally {
      await close();
    }
  });

  test("setNotebook(notebook, {run: false}) runs nothing; runCells then runs those cells, what they read and what reads them", async () => {
    const { session, close } = await openSession();
    try {
      // c1 stands for the cell the user stopped: it reads c0 too, but running c2 must not start it.
      const nb = notebook(["const a = 1", "const spun = a + 100", "const b = a + 1", "b * 10", "const lone = 5"]);
      session.setNotebook(nb, { run: false });
      await session.settled();
      expect(nb.cells.map((c) => session.state(c.id)!.runs)).toEqual([0, 0, 0, 0, 0]);
      session.runCells(["c2"]);
      await session.settled();
      expect(nb.cells.map((c) => session.state(c.id)!.runs)).toEqual([1, 0, 1, 1, 0]);
      expect(session.state("c3")).toMatchObject({ status: "ok", value: 20 });
      // An edit runs the edited cell with the held cells it reads; the held ones it does not read wait.
      const edited = nb.cells.map((c) => (c.id === "c4" ? { ...c, source: "const lone = a + 6" } : c));
      session.setCells(edited);
      await session.settled();
      expect(nb.cells.map((c) => session.state(c.id)!.runs)).toEqual([1, 0, 1, 1, 1]);
      expect(session.state("c4")).toMatchObject({ status: "ok" });
      session.runAll();
      await session.settled();
      expect(nb.cells.map((c) => session.state(c.id)!.runs)).toEqual([2, 1, 2, 2, 2]);
    } finally {
      await close();
    }
  });
});
