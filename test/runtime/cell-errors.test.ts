/**
 * Whatever a cell throws — a string, an object, a rejected promise, an error from inside a Plot
 * call — lands in that cell only, as a readable message; its readers are blocked and the other cells
 * are untouched. Real engine, and Plot drawing into linkedom's document as in `segbook run`.
 */
import { afterEach, expect, test } from "vitest";
import { createNodeEngine } from "../../src/engine/node.ts";
import { Session } from "../../src/runtime/index.ts";
import { nodeLibraries } from "../../src/cli/node-libraries.ts";
import { notebook } from "../helpers/session.ts";

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

test.each([
  ["a thrown string", 'throw "plain text";\nconst a = 1;', /^plain text$/],
  [
    "a thrown object",
    "throw {code: 42};\nconst a = 1;",
    /^the cell threw a value that is not an Error: \{"code":42\}$/,
  ],
  ["a rejected promise", 'const a = await Promise.reject(new Error("refused"));', /^refused$/],
  [
    "a rejection with no reason",
    "const a = await Promise.reject();",
    /^the cell threw undefined \(e\.g\. a promise rejected without a reason\)$/,
  ],
  [
    "an error thrown inside a Plot call",
    'const a = Plot.plot({marks: [Plot.dot([1, 2], {x: (d) => { throw new Error("bad accessor " + d); }})]});',
    /^bad accessor 1$/,
  ],
])("Session shows %s in its cell only", async (_, source, message) => {
  const engine = await createNodeEngine();
  const session = new Session({ engine, libraries: nodeLibraries() });
  closers.push(async () => {
    await session.dispose();
    await engine.close();
  });
  session.setNotebook(notebook([source, "a + 1", "const b = 2", "b * 21"]));
  await session.settled();
  expect(session.state("c0")).toMatchObject({ status: "error" });
  expect(session.state("c0")!.error!.message).toMatch(message);
  expect(session.state("c1")).toMatchObject({ status: "blocked", blockedBy: ["a"] });
  expect(session.state("c2")).toMatchObject({ status: "ok" });
  expect(session.state("c3")).toMatchObject({ status: "ok", value: 42 });
});
