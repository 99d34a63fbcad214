/**
 * Load helpers: format from file name, source names, registered names and the read_csv call.
 */
import { describe, expect, it } from "vitest";
import type { FileFormat, FileSource } from "../../src/engine/engine.ts";
import { readCsvCall, registeredFileName, resolveFormat, sourceFileName } from "../../src/engine/load.ts";

const HINT = 'pass {format: "csv"|"tsv"|"parquet"|"json"}';

describe("load helpers", () => {
  it.each<[string, FileFormat]>([
    ["people.csv", "csv"],
    ["PEOPLE.CSV", "csv"],
    ["people.tsv", "tsv"],
    ["people.tab", "tsv"],
    ["people.parquet", "parquet"],
    ["people.pq", "parquet"],
    ["people.json", "json"],
    ["people.ndjson", "json"],
    ["people.jsonl", "json"],
    ["archive.csv.gz", "csv"],
    ["archive.tsv.gz", "tsv"],
    ["v1.2.data.csv", "csv"],
  ])("resolveFormat(%j) is %s", (fileName, format) => {
    expect(resolveFormat(fileName)).toBe(format);
  });

  it.each([
    ["notes.xlsx", `loadFile: unknown format "xlsx" for "notes.xlsx"; ${HINT}`],
    ["data.json.gz", `loadFile: unknown format "json.gz" for "data.json.gz"; ${HINT}`],
    ["README", `loadFile: cannot tell the format of "README" (it has no extension); ${HINT}`],
  ])("resolveFormat(%j) fails naming the file and the fix", (fileName, message) => {
    expect(() => resolveFormat(fileName)).toThrow(message);
  });

  it("resolveFormat(name, explicit) prefers the explicit format and rejects unknown ones", () => {
    expect(resolveFormat("codes.txt", "csv")).toBe("csv");
    expect(resolveFormat("people.csv", "tsv")).toBe("tsv");
    expect(() => resolveFormat("a.csv", "xlsx" as FileFormat)).toThrow(
      `loadFile: unknown format "xlsx" for "a.csv"; ${HINT}`,
    );
  });

  it.each<[FileSource, string]>([
    [{ kind: "path", path: "data/sub/people.csv" }, "people.csv"],
    [{ kind: "path", path: "C:\\data\\people.csv" }, "people.csv"],
    [{ kind: "url", url: "https://example.org/d/my%20file.csv?raw=1#top" }, "my file.csv"],
    [{ kind: "url", url: "./people.parquet" }, "people.parquet"],
    [{ kind: "bytes", bytes: new Uint8Array(), fileName: "inline.json" }, "inline.json"],
  ])("sourceFileName(%j) is %j", (source, name) => {
    expect(sourceFileName(source)).toBe(name);
  });

  it("registeredFileName(id, name) is unique per id and has no glob or path characters", () => {
    expect(registeredFileName(3, "people.csv.gz")).toBe("segbook-3-people.csv.gz");
    expect(registeredFileName(4, "a [1]*?/b.csv")).toBe("segbook-4-a__1____b.csv");
    expect(registeredFileName(5, "people.csv", "/segbook-files/")).toBe("/segbook-files/segbook-5-people.csv");
  });

  it("readCsvCall(file, format, options) quotes every option it passes to read_csv", () => {
    expect(readCsvCall("f.csv", "csv")).toBe("read_csv('f.csv')");
    expect(readCsvCall("f.tsv", "tsv")).toBe("read_csv('f.tsv', delim = '\t')");
    expect(
      readCsvCall("it's.csv", "csv", {
        csv: {
          delimiter: ";",
          header: false,
          names: ["a", "b'c"],
          strictMode: false,
          columns: { "b'c": "VARCHAR", a: "DECIMAL(6,2)" },
        },
      }),
    ).toBe(
      "read_csv('it''s.csv', delim = ';', header = false, names = ['a', 'b''c'], strict_mode = false, " +
        "types = {'b''c': 'VARCHAR', 'a': 'DECIMAL(6,2)'})",
    );
  });
});
