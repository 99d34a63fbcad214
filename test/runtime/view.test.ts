/**
 * `view(input)` and `Session.setInputValue`: an input bound to a declaration feeds its readers, and
 * moving it re-runs only them. The inputs here speak Observable's protocol (a `value` and "input"
 * events on an EventTarget), as Observable Inputs do; in Node they come from the headless `Inputs`
 * of `segbook run`.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { cells, openSession } from "../helpers/session.ts";
import { compileCode } from "../../src/runtime/index.ts";
import { HeadlessInput, nodeInputs } from "../../src/cli/index.ts";
import { Session } from "../../src/runtime/index.ts";
import { createNodeEngine } from "../../src/engine/node.ts";
import type { Engine } from "../../src/engine/engine.ts";

/** An input as the cell itself can build it in Node: an EventTarget with a value. */
const INPUT = "Object.assign(new EventTarget(), {value: 5})";

/** Sets an input's value and dispatches "input", as a user moving the control does. */
function move(input: unknown, value: unknown): void {
  const target = input as EventTarget & { value: unknown };
  target.value = value;
  target.dispatchEvent(new Event("input"));
}

describe("view", () => {
  test("compileCode binds `const k = view(...)` to k and leaves other calls alone", () => {
    const compiled = compileCode("const k = view(a);\nconst j = await view(b), n = f(view(c));", "ts");
    expect(compiled.body).toContain(`__segbook_view_as("k", view)(a)`);
    expect(compiled.body).toContain(`await __segbook_view_as("j", view)(b)`);
    expect(compiled.body).toContain("f(view(c))");
    expect(compiled.inputs.sort()).toEqual(["a", "b", "c", "f", "view"]);
  });

  test("view(input) shows the input and the declaration takes its value", async () => {
    const { session, close } = await openSession();
    try {
      session.setCells(cells([`const k = view(${INPUT})`, "k * 10"]));
      await session.settled();
      expect(session.state("c0")!.displays).toHaveLength(1);
      expect(session.state("c1")).toMatchObject({ status: "ok", value: 50 });
    } finally {
      await close();
    }
  });

  test("moving a bound input re-runs its readers with the new value, not the defining cell", async () => {
    const { session, close } = await openSession();
    try {
      const list = cells([
        `const k = view(${INPUT}); const other = 1`,
        "k * 10",
        "const twice = k * 2",
        "twice + 1",
        "other",
        { kind: "sql", name: "t", source: "SELECT ${k} AS k" },
      ]);
      session.setCells(list);
      await session.settled();
      const input = session.state("c0")!.displays[0];
      move(input, 8);
      await session.settled();
      expect(session.state("c1")).toMatchObject({ value: 80, runs: 2 });
      expect(session.state("c3")).toMatchObject({ value: 17, runs: 2 });
      expect(session.state("c0")!.runs).toBe(1);
      expect(session.state("c4")!.runs).toBe(1);
      const handle = session.state("c5")!.value as { rows(): Promise<{ k: number }[]> };
      expect(await handle.rows()).toEqual([{ k: 8 }]);
      // Other edits keep the chosen value: the defining cell is unchanged, so it does not re-run.
      session.setCells([...list.slice(0, 4), { ...list[4]!, source: "other + k" }, list[5]!]);
      await session.settled();
      expect(session.state("c4")).toMatchObject({ value: 9 });
      expect(session.state("c0")!.runs).toBe(1);
    } finally {
      await close();
    }
  });

  test("re-running the defining cell makes a new input; the old one no longer publishes", async () => {
    const { session, close } = await openSession();
    try {
      session.setCells(cells([`const k = view(${INPUT})`, "k + 1"]));
      await session.settled();
      const old = session.state("c0")!.displays[0];
      session.runCell("c0");
      await session.settled();
      move(old, 100);
      await session.settled();
      expect(session.state("c1")).toMatchObject({ value: 6, runs: 2 });
      move(session.state("c0")!.displays[0], 7);
      await session.settled();
      expect(session.state("c1")).toMatchObject({ value: 8, runs: 3 });
    } finally {
      await close();
    }
  });

  test("view(value) of something that is not an input fails with what it takes", async () => {
    const { session, close } = await openSession();
    try {
      session.setCells(cells(["const k = view(5)"]));
      await session.settled();
      expect(session.state("c0")!.error?.message).toMatch(/view\(\) takes an input .* got number/);
    } finally {
      await close();
    }
  });

  test("a cell's own `view` function is called as written", async () => {
    const { session, close } = await openSession();
    try {
      session.setCells(cells(["const view = (x) => x * 2; const k = view(3);", "k"]));
      await session.settled();
      expect(session.state("c1")).toMatchObject({ status: "ok", value: 6 });
    } finally {
      await close();
    }
  });

  test("setInputValue(id, name, value) refuses unknown cells and names", async () => {
    const { session, close } = await openSession();
    try {
      session.setCells(cells(["const k = 1", "k"]));
      await session.settled();
      expect(session.setInputValue("c0", "nope", 2)).toBe(false);
      expect(session.setInputValue("zz", "k", 2)).toBe(false);
      expect(session.setInputValue("c0", "k", 2)).toBe(true);
      await session.settled();
      expect(session.state("c1")).toMatchObject({ value: 2, runs: 2 });
    } finally {
      await close();
    }
  });

  describe("headless Inputs", () => {
    let engine: Engine;
    beforeAll(async () => {
      engine = await createNodeEngine();
    });
    afterAll(async () => {
      await engine.close();
    });

    test.each([
      ["range", "Inputs.range([2, 12], {step: 1, value: 5, label: 'k'})", 5],
      ["range without a value starts at the middle", "Inputs.range([2, 12], {step: 1})", 7],
      ["select", "Inputs.select(['a', 'b'])", "a"],
      ["select multiple", "Inputs.select(['a', 'b'], {multiple: true})", []],
      ["checkbox", "Inputs.checkbox(['a', 'b'], {value: ['b']})", ["b"]],
      ["toggle", "Inputs.toggle()", false],
      ["text", "Inputs.text({value: 'hi'})", "hi"],
      ["date", "Inputs.date({value: '2024-01-02'})", new Date("2024-01-02T00:00:00Z")],
      ["table selects every row", "Inputs.table([{a: 1}, {a: 2}])", [{ a: 1 }, { a: 2 }]],
    ])("view(Inputs.%s) in segbook run gives the control's starting value", async (_title, call, expected) => {
      const session = new Session({ engine, libraries: { Inputs: nodeInputs() } });
      try {
        session.setCells(cells([`const v = view(${call})`, "v"]));
        await session.settled();
        expect(session.state("c1")).toMatchObject({ status: "ok", value: expected });
        const input = session.state("c0")!.displays[0];
        expect(input).toBeInstanceOf(HeadlessInput);
        expect((input as HeadlessInput).outerHTML).toContain("<output>");
      } finally {
        await session.dispose();
      }
    });
  });
});
