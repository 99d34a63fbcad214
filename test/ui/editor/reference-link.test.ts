/**
 * The editor's links to the reference: which `seg` function a hover position names, and the page
 * address it links, relative to the workbench page wherever the site is served.
 */
import { describe, expect, test } from "vitest";
import {
  referenceHoverMarkdown,
  referenceUrl,
  SEG_REFERENCE_NAMES,
  segFunctionAt,
} from "../../../src/ui/editor/reference-link.ts";
import { createSeg } from "../../../src/seg/namespace.ts";
import type { SegContext } from "../../../src/seg/context.ts";
import { functionPage } from "../../../src/ui/build/reference.ts";

const LINE = "const km = await seg.kmeans(customers, {k: 4}); display(await seg.charts.rfmGrid(x));";

describe("segFunctionAt", () => {
  test.for([
    // [what, column (1-based), expected name or null]
    ["first letter of kmeans", LINE.indexOf("kmeans") + 1, "kmeans"],
    ["last letter of kmeans", LINE.indexOf("kmeans") + 6, "kmeans"],
    ["the ( after kmeans", LINE.indexOf("kmeans") + 7, null],
    ["`seg` itself", LINE.indexOf("seg") + 1, null],
    ["a chart function", LINE.indexOf("rfmGrid") + 2, "charts.rfmGrid"],
    ["`charts` itself", LINE.indexOf("charts") + 1, null],
    ["customers, an argument", LINE.indexOf("customers") + 1, null],
  ] as const)("%s -> %s", ([, column, name]) => {
    expect(segFunctionAt(LINE, column)?.name ?? null).toBe(name);
  });

  test("returns the columns of the name, for Monaco's hover range", () => {
    const start = LINE.indexOf("kmeans") + 1;
    expect(segFunctionAt(LINE, start + 2)).toEqual({ name: "kmeans", startColumn: start, endColumn: start + 6 });
  });

  test.for([
    ["a name seg does not have", "seg.kmeanz(t)"],
    ["seg as a property of something else", "other.seg.kmeans(t)"],
    ["an identifier ending in seg", "myseg.kmeans(t)"],
  ] as const)("nothing for %s", ([, line]) => {
    expect(segFunctionAt(line, line.indexOf("(") - 1)).toBeNull();
  });
});

describe("referenceUrl", () => {
  test.for([
    ["https://example.com/", "kmeans", "https://example.com/reference/functions/seg.kmeans.html"],
    [
      "https://example.com/tools/segbook/?notebook=notebooks/a.md#nb=x",
      "charts.rfmGrid",
      "https://example.com/tools/segbook/reference/functions/seg.charts.rfmGrid.html",
    ],
    ["http://127.0.0.1:5173/index.html", "export", "http://127.0.0.1:5173/reference/functions/seg.export.html"],
  ] as const)("%s + %s", ([base, name, url]) => {
    expect(referenceUrl(name, base)).toBe(url);
  });

  test("agrees with the page names the reference build writes", () => {
    for (const name of SEG_REFERENCE_NAMES)
      expect(referenceUrl(name, "https://x.test/a/")).toBe(`https://x.test/a/reference/${functionPage(name)}`);
  });

  test("the hover text is a Markdown link naming the function", () => {
    expect(referenceHoverMarkdown("kmeans", "https://x.test/")).toBe(
      "[`seg.kmeans` in the reference](https://x.test/reference/functions/seg.kmeans.html)",
    );
  });
});

test("SEG_REFERENCE_NAMES are the functions of the seg namespace", () => {
  const seg = createSeg({ seed: 1 } as SegContext) as unknown as Record<string, unknown>;
  const live = Object.entries(seg).flatMap(([name, value]) =>
    typeof value === "function"
      ? [name]
      : typeof value === "object" && value
        ? Object.keys(value).map((m) => `${name}.${m}`)
        : [],
  );
  expect([...SEG_REFERENCE_NAMES].sort()).toEqual(live.sort());
});
