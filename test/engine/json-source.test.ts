/**
 * prepareJson(bytes, fileName): JSON arrays and NDJSON checked, described and made one array.
 */
import { describe, expect, it } from "vitest";
import { prepareJson } from "../../src/engine/json-source.ts";

const encode = (text: string) => new TextEncoder().encode(text);
const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe("prepareJson(bytes, fileName)", () => {
  it("prepareJson(array) keeps the bytes and lists keys in order of first appearance", () => {
    const bytes = encode('[{"b": 1, "a": "2024-01-02"}, {"c": true, "a": null, "b": 2}]');
    const prepared = prepareJson(bytes, "x.json");
    expect(prepared.arrayBytes).toBe(bytes);
    expect(prepared.columns).toEqual(["b", "a", "c"]);
    expect([...prepared.dateColumns]).toEqual(["a"]);
    expect(prepared.numRows).toBe(2);
  });

  it("prepareJson(ndjson) joins the lines into one array, skipping blank lines and CRLF", () => {
    const prepared = prepareJson(encode('\uFEFF{"a": 1}\r\n\r\n{"a": 2, "when": "2024-01-02T03:04:05"}\n'), "x.ndjson");
    expect(JSON.parse(decode(prepared.arrayBytes))).toEqual([{ a: 1 }, { a: 2, when: "2024-01-02T03:04:05" }]);
    expect(prepared.columns).toEqual(["a", "when"]);
    expect([...prepared.dateColumns]).toEqual([]);
    expect(prepared.numRows).toBe(2);
  });

  it.each([
    ["[1, 2]", 'loadFile: "bad.json" item 1 is not a JSON object'],
    ['{"a": 1}\n[2]', 'loadFile: "bad.json" line 2 is not a JSON object'],
    ['[{"a": 1},]', 'loadFile: "bad.json" is not valid JSON'],
    ['{"a": 1}\n{"a"', 'loadFile: "bad.json" line 2 is not valid JSON'],
    ["[]", 'loadFile: "bad.json" holds no rows, so there are no columns to make a table from'],
    ["\n\n", 'loadFile: "bad.json" holds no rows'],
    ["[{}, {}]", 'loadFile: "bad.json" has only empty objects'],
  ])("prepareJson(%j) fails naming the file", (text, message) => {
    expect(() => prepareJson(encode(text), "bad.json")).toThrow(message);
  });
});
