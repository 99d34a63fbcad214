import { describe, expect, it } from "vitest";
import {
  WhitespaceToTsv,
  unsniffableReason,
  whitespaceColumns,
  whitespaceFieldCount,
  whitespacePrefixToTsv,
  whitespaceToTsv,
} from "../../src/engine/whitespace-text.ts";

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (b: Uint8Array) => new TextDecoder().decode(b);

describe("whitespaceColumns(text)", () => {
  it.each([
    ["runs of spaces, leading spaces, CRLF", " customer_id  date\r\n 00001 19970101\r\n 00002   19970112\r\n", 2],
    ["single spaces", "a b c\n1 2 3\n", 3],
    ["a quoted field holding spaces", 'id name\n1 "Ann Smith"\n2 Bob\n', 2],
    ["different field counts", "a b\n1 2 3\n", undefined],
    ["a comma (DuckDB sniffs it)", "a b,c\n1 2,3\n", undefined],
    ["a tab (DuckDB sniffs it)", "a\tb\n1\t2\n", undefined],
    ["one line", "a b\n", undefined],
    ["one column", "a\nb\n", undefined],
  ])("%s", (_, input, expected) => {
    expect(whitespaceColumns(input)).toBe(expected);
  });

  it("ignores a last line cut off by the prefix", () => {
    expect(whitespaceColumns("a b\n1 2\n3")).toBe(2);
  });
});

describe("whitespaceFieldCount(line)", () => {
  it.each([
    ["  a   b c  ", 3],
    ['1 "Ann Smith" 3', 3],
    ["", 0],
  ])("%j", (line, n) => expect(whitespaceFieldCount(line)).toBe(n));
});

describe("unsniffableReason(text)", () => {
  it.each([
    ["prose", "Quarterly notes here\nSales went up in March\n", "line 1 has 3 space-separated fields, line 2 has 5"],
    ["one value per line", "007\n010\n", undefined],
    ["consistent fields", "a b\n1 2\n", undefined],
    ["a pipe", "a|b c\n1|2\n", undefined],
  ])("%s", (_, input, expected) => expect(unsniffableReason(input)).toBe(expected));
});

describe("WhitespaceToTsv.push(chunk)", () => {
  it("drops leading and trailing padding, makes each run one tab, keeps line ends, blank lines and quotes", () => {
    const out = new WhitespaceToTsv().push(bytes(' id   name  \r\n 1  "A  B"\t 2\r\n\r\n   \n3 x'));
    expect(text(out)).toBe('id\tname\r\n1\t"A  B"\t2\r\n\r\n\n3\tx');
  });

  it("gives the same bytes however the input is cut into chunks (state carries over)", () => {
    const input = ' 00001 19970101  1   11.77\r\n 00002 "a  b"  5   77.00\r\n';
    const whole = text(new WhitespaceToTsv().push(bytes(input)));
    for (let cut = 1; cut < input.length; cut++) {
      const rewrite = new WhitespaceToTsv();
      const parts = [rewrite.push(bytes(input.slice(0, cut))), rewrite.push(bytes(input.slice(cut)))];
      expect(parts.map(text).join("")).toBe(whole);
    }
    expect(whole).toBe('00001\t19970101\t1\t11.77\r\n00002\t"a  b"\t5\t77.00\r\n');
  });

  it("keeps a UTF-8 byte order mark at the start without reading it as a field", () => {
    const out = new WhitespaceToTsv().push(new Uint8Array([0xef, 0xbb, 0xbf, ...bytes("  a  b\n")]));
    expect([...out.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(text(out.subarray(3))).toBe("a\tb\n");
  });
});

describe("whitespaceToTsv(source)", () => {
  it("streams a Blob and gives the same bytes as the in-memory pass", async () => {
    const input = Array.from({ length: 5000 }, (_, i) => `  ${i}   ${i * 2}  x\r\n`).join("");
    const fromBlob = await whitespaceToTsv({ blob: new Blob([input]) });
    const fromBytes = await whitespaceToTsv({ bytes: bytes(input) });
    expect(text(fromBlob)).toBe(text(fromBytes));
    expect(text(fromBytes).split("\r\n")[4999]).toBe("4999\t9998\tx");
  });
});

describe("whitespacePrefixToTsv(prefix)", () => {
  it("rewrites whole lines only", () => {
    expect(text(whitespacePrefixToTsv(bytes(" a  b\n 1  2\n 3  ")))).toBe("a\tb\n1\t2\n");
  });
});
