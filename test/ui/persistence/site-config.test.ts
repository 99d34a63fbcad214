import { expect, test } from "vitest";
import { isUnderNotebookBase, parseSiteConfig } from "../../../src/ui/persistence/site-config.ts";

const BASE = "https://intra.example/team/segbook/";

test.each<[string, string, string[], boolean]>([
  ["no notebookBase: the shipped notebooks' folder", "{}", [`${BASE}notebooks/`], false],
  ["one folder", '{"notebookBase": "shared"}', [`${BASE}shared/`], false],
  [
    "a list, with an absolute path",
    '{"notebookBase": ["notebooks/", "/books/"]}',
    [`${BASE}notebooks/`, "https://intra.example/books/"],
    false,
  ],
  [
    "another origin is dropped",
    '{"notebookBase": ["notebooks/", "https://evil.example/"]}',
    [`${BASE}notebooks/`],
    true,
  ],
  ["not JSON: the default", "{nope", [`${BASE}notebooks/`], true],
  ["a number: the default", '{"notebookBase": 3}', [`${BASE}notebooks/`], true],
])("parseSiteConfig: %s", (_name, json, bases, problem) => {
  const config = parseSiteConfig(json, BASE);
  expect(config.notebookBases).toEqual(bases);
  expect(config.problem !== undefined).toBe(problem);
});

test.each<[string, boolean]>([
  [`${BASE}notebooks/rfm.md`, true],
  [`${BASE}notebooks/sub/rfm.md?x=1#y`, true],
  [`${BASE}notebooks/`, false],
  [`${BASE}notebooks-old/rfm.md`, false],
  [`${BASE}notebooks/../x.md`, false],
  [`${BASE}notebooks/%2e%2e/x.md`, false],
  ["https://evil.example/team/segbook/notebooks/rfm.md", false],
  ["data:text/markdown,x", false],
  ["not a url", false],
])("isUnderNotebookBase(%j) is %j", (url, under) => {
  expect(isUnderNotebookBase(url, [`${BASE}notebooks/`])).toBe(under);
});
