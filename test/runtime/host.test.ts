/**
 * cachedCompile: a cell body is compiled once per (parameter names, body) and the cache stays bounded;
 * createInProcessHost runs through it.
 */
import { describe, expect, test } from "vitest";
import { cachedCompile, createInProcessHost, type CompiledCell } from "../../src/runtime/index.ts";

describe("cachedCompile(compile)", () => {
  const counting = () => {
    const calls: string[] = [];
    const compile = cachedCompile((names, body) => {
      calls.push(`${names.join(",")}|${body}`);
      return (async (...args: unknown[]) => `${body}:${args.join(",")}`) as CompiledCell;
    });
    return { calls, compile };
  };

  test("compiles a body once for the same names, again for other names or another body", async () => {
    const { calls, compile } = counting();
    expect(await compile(["a"], "b1")(1)).toBe("b1:1");
    expect(await compile(["a"], "b1")(2)).toBe("b1:2");
    compile(["a", "c"], "b1");
    compile(["a"], "b2");
    expect(calls).toEqual(["a|b1", "a,c|b1", "a|b2"]);
  });

  test("forgets everything past 500 bodies instead of growing without limit", () => {
    const { calls, compile } = counting();
    for (let i = 0; i <= 501; i++) compile([], `body ${i}`);
    compile([], "body 0");
    expect(calls.at(-1)).toBe("|body 0");
    expect(calls).toHaveLength(503);
  });
});

describe("createInProcessHost()", () => {
  test("evaluate(body, names, args) runs the body as an async function of the names", async () => {
    const host = createInProcessHost();
    expect(await host.evaluate("return a + b", ["a", "b"], [40, 2])).toBe(42);
    expect(host.isGlobal("Math")).toBe(true);
  });
});
