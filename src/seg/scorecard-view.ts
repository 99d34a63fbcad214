/**
 * seg.scorecard as a stakeholder reads it: one row per segment with its size, share and revenue
 * share, a pass/fail mark for each of the seven tests (the reason in the mark's title), and the flags
 * written out as sentences below. Built from plain data (rows, checks, flags) in the document it is
 * given (as seg.charts are), so it renders on either side of a frame boundary and in `segbook run`'s
 * report (linkedom); the workbench's rich-output.ts picks it for values of result kind "scorecard".
 */
import { formatDouble, formatValue } from "../format/format-value.ts";
import { SCORECARD_TESTS, type FlagEntry, type ScorecardCheck, type ScorecardFlag } from "./scorecard.ts";

/** What the scorecard view needs: the result table's rows and the result's checks and flags. */
export interface ScorecardData {
  rows: readonly Record<string, unknown>[];
  checks: readonly ScorecardCheck[];
  flags: readonly FlagEntry[];
}

const MARKS: Record<ScorecardCheck["status"], { mark: string; word: string }> = {
  pass: { mark: "✓", word: "passes" },
  fail: { mark: "✗", word: "fails" },
  unmeasured: { mark: "–", word: "not measured" },
};

const FLAG_WORDS: Record<ScorecardFlag, string> = {
  too_broad: "is too broad",
  too_narrow: "is too narrow",
  stale_data: "has stale data",
  missing_data: "has missing data",
  unstable: "is unstable",
  not_identifiable: "is hard to identify by a rule",
  not_actionable: "has no action planned",
};

/** The segment as its name reads in a sentence. */
function segmentName(segment: unknown): string {
  return segment === null || segment === undefined ? "(no segment)" : formatValue(segment);
}

/**
 * One flag as a sentence, e.g. `Segment 2 is too narrow: 3.0% of customers, below 5.0%.`
 * @example flagSentence({segment: 2, flag: "too_narrow", detail: "3.0% of customers < 5.0%"})
 */
export function flagSentence(entry: FlagEntry): string {
  // "3.0% of customers < 5.0%" reads as words; a rule after ": " keeps its operators.
  const colon = entry.detail.indexOf(": ");
  const [head, rule] = colon < 0 ? [entry.detail, ""] : [entry.detail.slice(0, colon), entry.detail.slice(colon)];
  // Long decimals (rule thresholds) are shown as the grid shows them.
  const detail = `${head.replace(/ < /g, ", below ").replace(/ > /g, ", above ")}${rule}`.replace(
    /-?\d+\.\d{5,}/g,
    (n) => formatDouble(Number(n)),
  );
  const words = FLAG_WORDS[entry.flag] ?? entry.flag.replace(/_/g, " ");
  // The detail of not_actionable only repeats the flag: say what to do instead.
  const why = entry.flag === "not_actionable" ? "add one to the scorecard's notes" : detail;
  return `Segment ${segmentName(entry.segment)} ${words}: ${why}.`;
}

const percent = (value: unknown) =>
  typeof value === "number" && Number.isFinite(value) ? `${(value * 100).toFixed(1)}%` : "–";

/**
 * The scorecard as an element of `doc`.
 * @example target.append(renderScorecard(document, {rows: await card.rows(), checks: card.info.checks, flags: card.info.flags}));
 */
export function renderScorecard(doc: Document, data: ScorecardData): HTMLElement {
  const el = <K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string) => {
    const node = doc.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  };
  const root = el("div", "scorecard");
  const table = el("table", "scorecard-table");
  const caption = el("caption", undefined, `Scorecard · ${data.rows.length} segments`);
  table.append(caption);
  const head = el("tr");
  for (const [text, num] of [
    ["Segment", false],
    ["Customers", true],
    ["Share", true],
    ["Revenue", true],
  ] as const)
    head.append(el("th", num ? "num" : undefined, text));
  for (const test of SCORECARD_TESTS) head.append(el("th", "test", test));
  const thead = el("thead");
  thead.append(head);
  table.append(thead);
  const body = el("tbody");
  for (const row of data.rows) {
    const key = String(row.segment);
    const tr = el("tr");
    tr.dataset.segment = key;
    tr.append(el("th", "segment", segmentName(row.segment)));
    const suppressed = row.suppressed === true;
    const size = el("td", "num", suppressed ? "suppressed" : formatValue(row.size, { type: "BIGINT" }));
    tr.append(size, el("td", "num", percent(row.share)), el("td", "num", percent(row.revenue_share)));
    for (const test of SCORECARD_TESTS) {
      const check = data.checks.find((c) => String(c.segment) === key && c.test === test);
      const status = check?.status ?? "unmeasured";
      const cell = el("td", `mark ${status}`, MARKS[status].mark);
      cell.dataset.test = test;
      const reason = `${test}: ${MARKS[status].word}${check?.detail ? ` (${check.detail})` : ""}`;
      cell.title = reason;
      cell.setAttribute("aria-label", reason);
      tr.append(cell);
    }
    body.append(tr);
  }
  table.append(body);
  root.append(table);
  if (data.flags.length) {
    const list = el("ul", "scorecard-flags");
    for (const entry of data.flags) {
      const item = el("li", undefined, flagSentence(entry));
      item.dataset.flag = entry.flag;
      list.append(item);
    }
    root.append(list);
  } else {
    root.append(el("p", "scorecard-flags none", "No flags: every segment passes the flagged tests."));
  }
  return root;
}
