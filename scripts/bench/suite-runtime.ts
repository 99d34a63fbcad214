/**
 * Runtime overhead: re-running a 20-cell dependency chain after an edit of its first cell.
 */
import { createNodeEngine } from "../../src/engine/node.ts";
import type { Cell } from "../../src/notebook/model.ts";
import { Session } from "../../src/runtime/index.ts";
import { time, type Figure } from "./harness.ts";

/** The runtime suite. */
export async function runtimeSuite(): Promise<Figure[]> {
  const engine = await createNodeEngine();
  const session = new Session({ engine });
  try {
    const chain = (first: number): Cell[] =>
      Array.from({ length: 20 }, (_, i) => ({
        id: `c${i}`,
        kind: "ts" as const,
        source: i === 0 ? `const v0 = ${first};` : `const v${i} = v${i - 1} + 1;`,
      }));
    let n = 0;
    session.setCells(chain(n));
    await session.settled();
    const median = await time(
      async () => {
        session.setCells(chain(++n));
        await session.settled();
      },
      50,
      5,
    );
    return [
      { suite: "runtime", name: "re-run a 20-cell chain after editing its first cell", median, runs: 50, unit: "ms" },
    ];
  } finally {
    await session.dispose();
    await engine.close();
  }
}
