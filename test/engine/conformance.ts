/**
 * The engine conformance suite (engine-cases.ts) as a describe block for any Node engine. Each case's
 * `run` is rebuilt from its source text first, as the browser runner does, so a case that is not
 * self-contained fails here too.
 */
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Engine, FileSource } from "../../src/engine/engine.ts";
import { engineCases, type EngineCase } from "./engine-cases.ts";

/** A file of test/fixtures as a path source. */
export const fixtureUrl = (file: string): FileSource => ({
  kind: "path",
  path: fileURLToPath(new URL(`../fixtures/${file}`, import.meta.url)),
});

function fromSource(run: EngineCase["run"]): EngineCase["run"] {
  return new Function(`return (${run.toString()});`)() as EngineCase["run"];
}

/** A case whose result differs on purpose on one engine: why, and the result it gives instead. */
export interface KnownDifference {
  why: string;
  expected: unknown;
}

/** Runs every conformance case on a fresh engine from `open`; `differences` by case title. */
export function describeConformance(
  title: string,
  open: () => Promise<Engine>,
  differences: Record<string, KnownDifference> = {},
): void {
  describe(title, () => {
    let engine: Engine;
    beforeAll(async () => {
      engine = await open();
    });
    afterAll(async () => {
      await engine?.close();
    });

    for (const testCase of engineCases) {
      it(testCase.title, async () => {
        const result = await fromSource(testCase.run)(engine, fixtureUrl);
        // The browser sends results back as JSON: they must survive that unchanged.
        expect(JSON.parse(JSON.stringify(result))).toEqual(result);
        expect(result).toEqual(differences[testCase.title]?.expected ?? testCase.expected);
      });
    }
  });
}
