/**
 * Stopping runaway cells: createTick on its own (with a fake clock), then whole sessions on the real
 * engine where `while (true)` cells are stopped and the rest of the notebook keeps working.
 */
import { afterEach, describe, expect, it } from "vitest";
import { createNodeEngine } from "../../src/engine/node.ts";
import { CellStopped, createTick, Session, type RunawayInfo } from "../../src/runtime/index.ts";
import { notebook } from "../helpers/session.ts";

describe("createTick(options)", () => {
  /** A tick whose clock advances 1 ms per call and whose "yield" never comes (a blocked thread). */
  function blockedTick(answers: boolean[], isCurrent = () => true) {
    let t = 0;
    const asked: RunawayInfo[] = [];
    const tick = createTick({
      cellId: "c0",
      isCurrent,
      now: () => t,
      afterYield: () => {},
      policy: { afterMs: 5000, ask: (info) => (asked.push(info), answers.shift() ?? true) },
    });
    const step = (line: number) => {
      t += 1;
      tick(line);
    };
    return { step, asked };
  }

  it("createTick asks after afterMs of blocking, and throws CellStopped naming the line when told to stop", () => {
    const { step, asked } = blockedTick([true]);
    let error: unknown;
    let calls = 0;
    try {
      for (;;) {
        calls++;
        step(7);
      }
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CellStopped);
    expect((error as Error).message).toMatch(/^Stopped at line 7: the loop there ran for 5\.\d s without pausing/);
    expect(asked).toHaveLength(1);
    expect(asked[0]!.elapsedMs).toBeGreaterThanOrEqual(5000);
    // The clock is read every 1024 calls, so it is asked within one such stretch of the limit.
    expect(calls).toBeLessThan(5000 + 2 * 1024 + 1);
  });

  it("createTick asks again after twice the time when the answer is keep going", () => {
    const { step, asked } = blockedTick([false, false, true]);
    expect(() => {
      for (;;) step(1);
    }).toThrow(CellStopped);
    expect(asked.map((a) => Math.round(a.elapsedMs / 1000))).toEqual([5, 10, 20]);
  });

  it("createTick keeps throwing once stopped, so a catch inside the loop cannot swallow it", () => {
    const { step } = blockedTick([true]);
    let caught = 0;
    expect(() => {
      for (;;) {
        step(3);
        try {
          step(4);
        } catch {
          caught++;
        }
      }
    }).toThrow(CellStopped);
    expect(caught).toBeLessThanOrEqual(1);
  });

  it("createTick throws at once when the run is no longer current", () => {
    let current = true;
    const tick = createTick({ cellId: "c0", isCurrent: () => current });
    tick(1);
    current = false;
    expect(() => tick(2)).toThrow(/Stopped at line 2: this run was cancelled/);
  });

  it("createTick never reads the clock without a policy and does not stop a yielding loop", () => {
    let reads = 0;
    const tick = createTick({ cellId: "c0", isCurrent: () => true, now: () => reads++ });
    for (let i = 0; i < 10_000; i++) tick(1);
    expect(reads).toBe(0);
  });
});

describe("Session({runaway}) with cells that never end", () => {
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
  });

  async function open(ask: (info: RunawayInfo) => boolean) {
    const engine = await createNodeEngine();
    const session = new Session({ engine, runaway: { afterMs: 300, ask } });
    closers.push(async () => {
      await session.dispose();
      await engine.close();
    });
    return session;
  }

  it("setNotebook stops `while (true) {}` when asked, blocks its readers and runs the other cells", async () => {
    const asked: RunawayInfo[] = [];
    const session = await open((info) => (asked.push(info), true));
    session.setNotebook(
      notebook([
        "let n = 0;\nwhile (true) { n++ }\nconst spun = n;",
        "spun + 1",
        "40 + 2",
        "let m = 0;\nfor (;;) try { m++ } catch { /* swallowed */ }",
      ]),
    );
    await session.settled();
    const state = (id: string) => session.state(id)!;
    const [spin, reader, other, swallow] = [state("c0"), state("c1"), state("c2"), state("c3")];
    expect(spin.status).toBe("error");
    expect(spin.error?.message).toMatch(/^Stopped at line 2: the loop there ran for \d+\.\d s without pausing/);
    expect(reader.status).toBe("blocked");
    expect(other).toMatchObject({ status: "ok", value: 42 });
    expect(swallow.status).toBe("error");
    expect(swallow.error?.message).toMatch(/^Stopped at line 2/);
    expect(asked.map((a) => `${a.cellId}:${a.line}`).sort()).toEqual(["c0:2", "c3:2"]);

    // The notebook still works: fixing the cell runs it and its reader.
    session.setCells([
      { id: "c0", kind: "ts", source: "const spun = 1;" },
      { id: "c1", kind: "ts", source: "spun + 1" },
    ]);
    await session.settled();
    expect(session.state("c1")).toMatchObject({ status: "ok", value: 2 });
  });

  it("stopWaiting() ends an abandoned async loop at its next iteration", async () => {
    const session = await open(() => false);
    const counter = { n: 0 };
    (globalThis as { __loopGuardCounter?: typeof counter }).__loopGuardCounter = counter;
    session.setNotebook(
      notebook([
        "while (true) {\n  await new Promise((r) => setTimeout(r, 5));\n  globalThis.__loopGuardCounter.n++;\n}",
      ]),
    );
    await new Promise((r) => setTimeout(r, 100));
    expect(session.state("c0")?.status).toBe("running");
    session.stopWaiting();
    await new Promise((r) => setTimeout(r, 50));
    const after = counter.n;
    await new Promise((r) => setTimeout(r, 100));
    expect(counter.n).toBe(after);
    expect(after).toBeGreaterThan(0);
    expect(session.state("c0")?.status).toBe("error");
    delete (globalThis as { __loopGuardCounter?: unknown }).__loopGuardCounter;
  });
});
