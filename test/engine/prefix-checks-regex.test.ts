/**
 * The checks a CSV load runs on the file's first MiB (text-checks.ts, whitespace-text.ts,
 * table-size.ts) run no regular expression over the whole prefix, nor one per value. `segbook run`
 * freezes RegExp.prototype for its cell sandbox (cli/seal-realm.ts), which turns V8's regular
 * expressions slow; regex splits of the prefix then cost about 1.5 s per load on Online Retail.
 * Their results are those of the regex versions they replace (the reference functions below).
 */
import { describe, expect, it } from "vitest";
import { estimateCsvTable } from "../../src/engine/table-size.ts";
import {
  duplicateHeaderNote,
  encodingNotes,
  findStrayQuote,
  fixedWidthColumns,
  splitLines,
  stripBom,
} from "../../src/engine/text-checks.ts";
import { unsniffableReason, whitespaceColumns } from "../../src/engine/whitespace-text.ts";
import { mulberry32 } from "../../src/random/seeded.ts";

/** An Online Retail-like prefix of about 1 MiB: quotes, non-ASCII text, dates, CRLF. */
function retailPrefix(): Uint8Array {
  const random = mulberry32(15);
  const rows = ["InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country"];
  for (let i = 0, length = 0; length < 1024 * 1024 + 200; i++) {
    const description = random() < 0.1 ? `"SET OF 3 ""CAKE"" TINS, PINK"` : `CRÈME BRÛLÉE ${i % 97} £ 🎂`;
    const row = `${536365 + i},${85123 + (i % 50)}A,${description},${1 + (i % 12)},2010-12-01 08:26,${(i % 7) + 0.55},${12346 + (i % 4000)}.0,United Kingdom`;
    rows.push(row);
    length += row.length + 2;
  }
  return new TextEncoder().encode(rows.join("\r\n")).subarray(0, 1024 * 1024);
}

/** Every string a regular expression ran over while `run` ran (RegExp.prototype.exec observed). */
function regexInputs(run: () => void): string[] {
  const exec = Object.getOwnPropertyDescriptor(RegExp.prototype, "exec")!;
  const inputs: string[] = [];
  Object.defineProperty(RegExp.prototype, "exec", {
    ...exec,
    value(this: RegExp, input: string) {
      inputs.push(String(input));
      return (exec.value as RegExp["exec"]).call(this, input);
    },
  });
  try {
    run();
  } finally {
    Object.defineProperty(RegExp.prototype, "exec", exec);
  }
  return inputs;
}

describe("splitLines(text, limit)", () => {
  it.each([
    [""],
    ["a"],
    ["a\n"],
    ["a\r\n"],
    ["\r\n"],
    ["\n\n"],
    ["a\r\n\n"],
    ["a\n\r\nb"],
    ["\r\r\n"],
    ["a\rb\nc"],
    ["a\r"],
    ["x\r\ny\nz\r\n\r\nw"],
  ])("splitLines(%j) is text.split(/\\r?\\n/)", (text) => {
    expect(splitLines(text)).toEqual(text.split(/\r?\n/));
    for (const limit of [0, 1, 2]) expect(splitLines(text, limit)).toEqual(text.split(/\r?\n/).slice(0, limit));
  });

  it("agrees with text.split(/\\r?\\n/) on random texts of CR, LF and letters", () => {
    const random = mulberry32(3);
    for (let trial = 0; trial < 500; trial++) {
      const text = Array.from({ length: Math.floor(random() * 20) }, () => "\r\nab"[Math.floor(random() * 4)]).join("");
      expect(splitLines(text), JSON.stringify(text)).toEqual(text.split(/\r?\n/));
    }
  });

  it("stripBom removes only a leading byte order mark", () => {
    for (const text of ["\uFEFFa", "a\uFEFF", "", "\uFEFF", "\uFEFF\uFEFFb"]) {
      expect(stripBom(text)).toBe(text.replace(/^\uFEFF/, ""));
    }
  });
});

/** estimateCsvTable as it was written with regular expressions and TextEncoder: the reference. */
function referenceEstimate(sample: Uint8Array, size: number, delimiter?: string) {
  const fields = (line: string, d: string) => {
    const out: string[] = [];
    let field = "";
    let quoted = false;
    for (const c of line) {
      if (c === '"') quoted = !quoted;
      else if (c === d && !quoted) {
        out.push(field);
        field = "";
      } else field += c;
    }
    out.push(field);
    return out;
  };
  const text = new TextDecoder().decode(sample);
  const lines = text.split(/\r?\n/);
  if (sample.length < size) lines.pop();
  const data = lines.slice(1).filter((line) => line !== "");
  if (data.length === 0) return undefined;
  const header = lines[0] ?? "";
  const delim =
    delimiter ?? [",", "\t", ";", "|"].reduce((a, b) => (header.split(b).length > header.split(a).length ? b : a));
  const encoder = new TextEncoder();
  let sampleBytes = 0;
  let valueBytes = 0;
  let columns = 0;
  for (const line of data) {
    sampleBytes += encoder.encode(line).length + 1;
    const values = fields(line, delim);
    columns = Math.max(columns, values.length);
    for (const value of values) {
      const trimmed = value.trim();
      const numeric = trimmed !== "" && (!Number.isNaN(Number(trimmed)) || /^\d{4}-\d\d-\d\d/.test(trimmed));
      const length = encoder.encode(trimmed).length;
      valueBytes += numeric ? 8 : 16 + (length > 12 ? length : 0);
    }
  }
  const headerBytes = encoder.encode(header).length + 1;
  const rows = Math.max(0, Math.round(((size - headerBytes) * data.length) / sampleBytes));
  return { bytes: Math.round((valueBytes / data.length) * rows * 1.15), rows, columns };
}

describe("estimateCsvTable(sample, size, delimiter)", () => {
  const encode = (text: string) => new TextEncoder().encode(text);
  it.each([
    ["plain", "id,name\n1,Ann\n2,Bob\n", undefined],
    ["quoted delimiters and doubled quotes", 'id,name\n1,"Smith, Ann"\n2,"say ""hi"", Bob"\n', undefined],
    ["non-ASCII, astral and long text", "id;text\n1;CRÈME BRÛLÉE 🎂🎂🎂 long enough\n2;ok\n", undefined],
    ["a lone surrogate", "id,t\n1,a\uD800b and more text here\n2,\uDC00\n", undefined],
    ["ISO dates and near misses", "d,e\n2010-12-01,2010-1-01\n2010-12-01T08:26,1234-56-78x\n١٢٣٤-56-78,x\n", undefined],
    ["CRLF and blank lines", "a\tb\r\n1\tx\r\n\r\n2\ty\r\n", undefined],
    ["a cut-off last line", "a,b\n1,2\n3,", undefined],
    ["a multi-character delimiter", "a||b\n1||two words here\n", "||"],
    ["an astral delimiter", "a🎂b\n1🎂two\n", "🎂"],
    ["a chosen tab delimiter", 'a\tb\n1\t"q\tq"\n', "\t"],
    ["header only", "a,b\n", undefined],
  ])("%s: equals the regex version", (_, text, delimiter) => {
    const sample = encode(text);
    for (const size of [sample.length, sample.length * 1000 + 17]) {
      expect(estimateCsvTable(sample, size, delimiter)).toEqual(referenceEstimate(sample, size, delimiter));
    }
  });

  it("equals the regex version on the start of the Online Retail-like MiB", () => {
    const prefix = retailPrefix().subarray(0, 64 * 1024);
    expect(estimateCsvTable(prefix, 45_000_000)).toEqual(referenceEstimate(prefix, 45_000_000));
  });
});

// Last: patching RegExp.prototype.exec leaves this worker's regular expressions on the slow path.
describe("the CSV prefix checks, as under a frozen RegExp.prototype", () => {
  const prefix = retailPrefix();
  const text = new TextDecoder().decode(prefix);
  const names = text.slice(0, text.indexOf("\r")).split(",");

  it("estimateCsvTable, encodingNotes, whitespaceColumns, fixedWidthColumns, unsniffableReason, duplicateHeaderNote and findStrayQuote run no regex over the prefix, nor per value", () => {
    const lines = splitLines(text).length;
    const inputs = regexInputs(() => {
      estimateCsvTable(prefix, 45_000_000);
      encodingNotes(prefix);
      whitespaceColumns(text);
      fixedWidthColumns(text);
      unsniffableReason(text);
      duplicateHeaderNote(text, names);
      findStrayQuote(text);
    });
    // Line-sized inputs only (a header, one line), a few per sampled line at most, never per value.
    expect(Math.max(0, ...inputs.map((s) => s.length))).toBeLessThan(1000);
    expect(inputs.length).toBeLessThan(lines);
  });
});
