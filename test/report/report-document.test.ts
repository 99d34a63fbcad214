/**
 * `reportDocument`, the one HTML report writer behind File → Export HTML report and `segbook run
 * --out`: a notebook run in a real Session on the Node engine (Plot drawing into linkedom, headless
 * Inputs) becomes title, Markdown, outputs and compact errors, with no code, nothing for cells that
 * show nothing, formatted numbers and dates, and personal columns masked.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createNodeEngine } from "../../src/engine/node.ts";
import type { Engine } from "../../src/engine/engine.ts";
import { Session } from "../../src/runtime/index.ts";
import { nodeLibraries } from "../../src/cli/index.ts";
import { reportDocument } from "../../src/report/report-document.ts";
import { nodeSanitize } from "../../src/cli/node-sanitize.ts";
import { cells } from "../helpers/session.ts";

const NOTEBOOK = cells([
  { kind: "md", source: "# Quarterly segments\n\nRevenue is in **euros**." },
  "const threshold = 100;",
  {
    kind: "sql",
    name: "people",
    source:
      "SELECT * FROM (VALUES (1, 'ann@example.com', 1234567.891, DATE '2024-03-01', TIMESTAMP '2010-12-01 08:26:00'), (2, 'bo@example.com', 0.363992, DATE '2024-03-02', TIMESTAMP '2010-12-01 00:00:00')) t(id, email, revenue, day, seen)",
  },
  "Plot.plot({ marks: [Plot.barY([1, 2, 3])] })",
  "const k = view(Inputs.range([2, 12], { step: 1, value: 5, label: 'clusters' }));",
  { kind: "md", source: "We chose **${k}** clusters." },
  "({ inertia: 271.7135016383064, sizes: [120, 80] })",
  "[{ segment: 'a', share: 0.25 }, { segment: 'b', share: 0.75 }]",
  "({ id: 3, Email: 'cy@example.com' })",
  "throw new Error('the file orders.csv has no column amount\\n    at stack line 1\\n    at stack line 2');",
  "const broken = undefinedName + 1;",
  "broken * 2",
]);

let engine: Engine;
let session: Session;
let html: string;

beforeAll(async () => {
  engine = await createNodeEngine();
  session = new Session({ engine, libraries: nodeLibraries() });
  session.setCells(NOTEBOOK);
  await session.settled();
  html = await reportDocument({
    title: "Quarterly segments",
    cells: NOTEBOOK,
    stateOf: (id) => session.state(id),
    privacy: { personal: ["email"] },
    now: new Date("2026-01-02T03:04:05Z"),
    sanitize: nodeSanitize,
  });
}, 60_000);

afterAll(async () => {
  await session?.dispose();
  await engine?.close();
});

describe("reportDocument", () => {
  test("reportDocument writes a standalone page: title, date, Markdown rendered, no scripts", () => {
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain("<title>Quarterly segments</title>");
    expect(html).toContain("Report made with Segbook · 2026-01-02 03:04 UTC");
    expect(html).toContain("<h1>Quarterly segments</h1>");
    expect(html).toContain("Revenue is in <strong>euros</strong>.");
    expect(html).not.toMatch(/<script/i);
  });

  test("reportDocument leaves code out and writes nothing for cells that show nothing", () => {
    for (const code of ["const threshold", "SELECT", "Plot.plot", "Inputs.range", "undefinedName + 1", "broken * 2"])
      expect(html).not.toContain(code);
    // Sections: heading, people, chart, input, Markdown with k, object, array, record, the failed step.
    // The definition of `threshold` and the blocked reader of `broken` show nothing, so they are absent.
    expect(html.match(/<section /g)).toHaveLength(10);
  });

  test("reportDocument writes a table with its name, formatted numbers and dates, exact values on hover, personal columns masked", () => {
    // One formatter for every output (src/format): DECIMAL at its scale, doubles to 6 significant digits.
    expect(html).toContain("<caption>people · 2 rows × 5 columns</caption>");
    expect(html).toContain('<td class="num" title="1234567.891">1,234,567.891000</td>');
    expect(html).toContain('<td class="num">0.363992</td>');
    expect(html).toContain("<td>2024-03-01</td>");
    expect(html).toContain('<td title="2010-12-01T08:26:00.000Z">2010-12-01 08:26</td>');
    expect(html).toContain('<td title="2010-12-01">2010-12-01 00:00</td>');
    expect(html).toContain("<td>a***@example.com</td>");
    expect(html).not.toContain("ann@example.com");
  });

  test("reportDocument masks a record's personal fields (names compared case-insensitively) as it masks columns", () => {
    expect(html).toContain('<th scope="row">Email</th><td>c***@example.com</td>');
    expect(html).not.toContain("cy@example.com");
  });

  test("reportDocument writes charts as inline SVG and inputs as their label and value", () => {
    expect(html).toMatch(/<svg[^>]*class="plot-[^"]*"/);
    expect(html).toContain('<div class="segbook-input"><label>clusters</label> <output>5</output></div>');
    expect(html).toContain("We chose <strong>5</strong> clusters.");
  });

  test("reportDocument writes plain objects and arrays of objects as tables", () => {
    expect(html).toContain('<th scope="row">inertia</th><td class="num">271.714</td>');
    expect(html).toContain('<th scope="row">sizes</th><td>[120, 80]</td>');
    expect(html).toMatch(/<caption>2 rows × 2 columns<\/caption><thead><tr><th>segment<\/th><th>share<\/th><\/tr>/);
  });

  test("reportDocument shows a failed step as one compact line, its whole message on hover", () => {
    expect(html).toContain("<strong>Error: this step failed</strong> · the file orders.csv has no column amount</div>");
    expect(html).not.toContain("at stack line 1</div>");
    expect(html).toMatch(/title="the file orders.csv has no column amount\n {4}at stack line 1/);
  });
});
