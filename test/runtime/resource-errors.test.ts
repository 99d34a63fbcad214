/**
 * Out-of-memory errors become a message with what to do, on the real engine with its memory limit
 * lowered so the ceiling is reached quickly; the cells after it keep working.
 */
import { afterEach, describe, expect, it } from "vitest";
import { MEMORY_ADVICE, withMemoryAdvice } from "../../src/runtime/index.ts";
import { notebook, openSession } from "../helpers/session.ts";

describe("withMemoryAdvice(message)", () => {
  it.each([
    [
      "Out of Memory Error: failed to allocate data of size 8.0 MiB (10.3 MiB/15.2 MiB used)\nDatabase is launched in in-memory mode…\nOr set SET temp_directory='/path/'",
      `Out of memory: DuckDB could not allocate more in this tab (failed to allocate data of size 8.0 MiB (10.3 MiB/15.2 MiB used)). ${MEMORY_ADVICE}`,
    ],
    ["Array buffer allocation failed", `Out of memory: Array buffer allocation failed. ${MEMORY_ADVICE}`],
    [
      "Invalid typed array length: 9000000000",
      `Out of memory: Invalid typed array length: 9000000000. ${MEMORY_ADVICE}`,
    ],
    ["x is not defined", "x is not defined"],
    ['Binder Error: Referenced column "memory" not found', 'Binder Error: Referenced column "memory" not found'],
  ])("withMemoryAdvice(%j)", (message, expected) => {
    expect(withMemoryAdvice(message)).toBe(expected);
  });
});

describe("Session when DuckDB runs out of memory", () => {
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
  });

  it("setNotebook shows the advice in the failing cell and the other cells and tables keep working", async () => {
    const { session, engine, close } = await openSession();
    closers.push(close);
    await engine.exec("CREATE TABLE small AS SELECT * FROM range(5) t(id)");
    await engine.exec("SET memory_limit = '16MB'");
    session.setNotebook(
      notebook([
        {
          kind: "sql",
          name: "big",
          source: "SELECT range AS id, repeat('x', 200) || range AS s FROM range(3000000) ORDER BY s DESC",
        },
        "(await big.rows(1)).length",
        { kind: "sql", name: "fine", source: "SELECT count(*) AS n FROM small" },
        "(await fine.rows())[0].n",
      ]),
    );
    await session.settled();
    const big = session.state("c0")!;
    expect(big.status).toBe("error");
    expect(big.error?.message).toMatch(
      /^Out of memory: DuckDB could not allocate more in this tab \(failed to allocate/,
    );
    expect(big.error?.message).toContain("take a sample (USING SAMPLE 10%)");
    expect(big.error?.message).not.toContain("temp_directory");
    expect(session.state("c1")?.status).toBe("blocked");
    expect(session.state("c3")).toMatchObject({ status: "ok" });
    expect(Number(session.state("c3")!.value)).toBe(5);
  });
});
