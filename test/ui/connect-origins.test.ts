/**
 * The origins a notebook names (src/ui/connect-origins.ts) and the policy that lets the page connect
 * only to them (src/ui/page-policy.ts narrowedPolicy).
 */
import { expect, test } from "vitest";
import type { FrontMatter } from "../../src/notebook/index.ts";
import { notebookOrigins } from "../../src/ui/connect-origins.ts";
import { narrowedPolicy } from "../../src/ui/page-policy.ts";

const NOTEBOOK = "https://site.example/app/notebooks/x.md";

// Loosely typed on purpose: a broken `connections` entry (as a hand-edited file may hold) is skipped.
test.each<[string, Record<string, unknown>, string[]]>([
  ["no data", { data: {} }, []],
  ["a relative path: the notebook's own origin", { data: { a: { path: "../data/a.csv" } } }, ["https://site.example"]],
  [
    "absolute URLs, deduplicated and sorted",
    {
      data: {
        a: { path: "https://data.example/a.csv" },
        b: { path: "https://data.example/b.parquet" },
        c: { path: "http://127.0.0.1:8080/c.csv" },
      },
    },
    ["http://127.0.0.1:8080", "https://data.example"],
  ],
  [
    "connections' URLs (read loosely)",
    {
      data: {},
      connections: { wh: { type: "clickhouse", url: "https://ch.example:8443/" }, broken: "x", none: { type: "x" } },
    },
    ["https://ch.example:8443"],
  ],
  ["not http(s): left out", { data: { a: { path: "file:///etc/passwd" } } }, []],
])("notebookOrigins: %s", (_name, frontMatter, origins) => {
  expect(notebookOrigins(frontMatter as unknown as FrontMatter, NOTEBOOK)).toEqual(origins);
});

test("narrowedPolicy allows the site, blob: and data: and the origins, and nothing that is not an origin", () => {
  expect(narrowedPolicy(["https://data.example", "http://127.0.0.1:8080"])).toBe(
    "connect-src 'self' blob: data: https://data.example http://127.0.0.1:8080",
  );
  // Anything that could end the directive or add another is dropped.
  expect(narrowedPolicy(["https://x.example; script-src *", "https://ok.example"])).toBe(
    "connect-src 'self' blob: data: https://ok.example",
  );
});
