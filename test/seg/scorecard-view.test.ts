/**
 * flagSentence / renderScorecard: scorecard flags read as sentences, and the table has one row per
 * segment with a mark per test (built in linkedom's document, as a frame or the CLI would).
 */
import { parseHTML } from "linkedom";
import { expect, test } from "vitest";
import type { FlagEntry } from "../../src/seg/scorecard.ts";
import { flagSentence, renderScorecard } from "../../src/seg/scorecard-view.ts";

test.each<[string, FlagEntry, string]>([
  [
    "too narrow",
    { segment: 2, flag: "too_narrow", detail: "3.0% of customers < 5.0%" },
    "Segment 2 is too narrow: 3.0% of customers, below 5.0%.",
  ],
  [
    "too broad",
    { segment: "A", flag: "too_broad", detail: "61.0% of customers > 50.0%" },
    "Segment A is too broad: 61.0% of customers, above 50.0%.",
  ],
  [
    "a rule keeps its operators and rounds its thresholds",
    { segment: 1, flag: "not_identifiable", detail: "rule precision 40.0%, recall 2.0%: amount > 2179.4139921739998" },
    "Segment 1 is hard to identify by a rule: rule precision 40.0%, recall 2.0%: amount > 2,179.41.",
  ],
  [
    "no action",
    { segment: "B", flag: "not_actionable", detail: "no action noted for this segment" },
    "Segment B has no action planned: add one to the scorecard's notes.",
  ],
])("flagSentence: %s", (_name, entry, expected) => {
  expect(flagSentence(entry)).toBe(expected);
});

test("renderScorecard writes one row per segment with a mark per test and the flags below", () => {
  const { document } = parseHTML("<!doctype html><html><body></body></html>");
  const element = renderScorecard(document as unknown as Document, {
    rows: [
      { segment: "A", size: 1200, share: 0.6, revenue_share: 0.5 },
      { segment: "B", size: 800, share: 0.4, revenue_share: null },
    ],
    checks: [
      { segment: "A", test: "substantial", status: "fail", detail: "60.0% of customers > 50.0%" },
      { segment: "B", test: "substantial", status: "pass", detail: "40.0% of customers" },
    ],
    flags: [{ segment: "A", flag: "too_broad", detail: "60.0% of customers > 50.0%" }],
  });
  const rows = [...element.querySelectorAll("tbody tr")];
  expect(rows.map((r) => [...r.children].slice(0, 5).map((c) => c.textContent))).toEqual([
    ["A", "1,200", "60.0%", "50.0%", "✗"],
    ["B", "800", "40.0%", "–", "✓"],
  ]);
  expect(rows[0]!.querySelectorAll("td.mark")).toHaveLength(7);
  expect(rows[0]!.querySelector('td[data-test="substantial"]')!.getAttribute("title")).toBe(
    "substantial: fails (60.0% of customers > 50.0%)",
  );
  expect([...element.querySelectorAll(".scorecard-flags li")].map((li) => li.textContent)).toEqual([
    "Segment A is too broad: 60.0% of customers, above 50.0%.",
  ]);
});
