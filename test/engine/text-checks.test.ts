import { describe, expect, it } from "vitest";
import { hasLineOver, longestLine } from "../../src/engine/text-checks.ts";
import { mulberry32 } from "../../src/random/seeded.ts";

const bytes = (text: string) => new TextEncoder().encode(text);

describe("hasLineOver(bytes, limit)", () => {
  it.each([
    ["empty", "", 0, false],
    ["one line at the limit", "abc", 3, false],
    ["one line over the limit", "abcd", 3, true],
    ["the newline is not counted", "abc\nabc\n", 3, false],
    ["CR counts, as DuckDB counts it", "abc\r\n", 3, true],
    ["a long last line without newline", "a\nb\nabcd", 3, true],
    ["a long first line", "abcd\na\n", 3, true],
    ["a long line in the middle, windows jump past short ones", "ab\nab\nabcde\nab\n", 4, true],
    ["many short lines", "ab\n".repeat(1000), 2, false],
  ])("%s", (_, text, limit, expected) => {
    expect(hasLineOver(bytes(text), limit)).toBe(expected);
  });

  it("agrees with longestLine on random line lengths around the limit", () => {
    const random = mulberry32(7);
    for (let trial = 0; trial < 300; trial++) {
      const limit = 1 + Math.floor(random() * 20);
      const lines = Array.from({ length: Math.floor(random() * 12) }, () => "x".repeat(Math.floor(random() * 24)));
      const text = lines.join(random() < 0.5 ? "\n" : "\r\n") + (random() < 0.5 ? "\n" : "");
      const b = bytes(text);
      expect(hasLineOver(b, limit), JSON.stringify({ text, limit })).toBe(longestLine(b).length > limit);
    }
  });
});
