import { describe, expect, it } from "vitest";
import { remoteResultToArrow, remoteTypeFamily } from "../../../src/engine/remote/remote-arrow.ts";
import { createNodeEngine } from "../../../src/engine/node.ts";

describe("remoteTypeFamily(type)", () => {
  it.each([
    ["UInt8", "int32"],
    ["Int32", "int32"],
    ["UInt32", "int64"],
    ["Int64", "int64"],
    ["UInt64", "uint64"],
    ["Nullable(UInt64)", "uint64"],
    ["LowCardinality(Nullable(String))", "text"],
    ["Float32", "float"],
    ["Decimal(18, 2)", "float"],
    ["Date", "date"],
    ["DateTime('UTC')", "timestamp"],
    ["Array(String)", "text"],
    ["Enum8('a' = 1)", "text"],
  ])("%s -> %s", (type, family) => {
    expect(remoteTypeFamily(type)).toBe(family);
  });
});

describe("remoteResultToArrow(result) into DuckDB", () => {
  it("keeps every type's values exactly, nulls and 64-bit extremes included", async () => {
    const engine = await createNodeEngine();
    try {
      const table = remoteResultToArrow({
        columns: [
          { name: "id", type: "UInt64" },
          { name: "n", type: "Int64" },
          { name: "x", type: "Nullable(Float64)" },
          { name: "day", type: "Date" },
          { name: "ts", type: "DateTime" },
          { name: "s", type: "String" },
          { name: "ok", type: "UInt8" },
        ],
        rows: [
          [
            18446744073709551615n,
            -9223372036854775808n,
            1.5,
            new Date("2024-02-29T00:00:00Z"),
            new Date("2024-02-29T13:14:15Z"),
            "ü 'x'",
            1,
          ],
          ["7", "9007199254740993", null, null, null, null, 0],
        ],
      });
      await engine.insertArrow("remote_rows", table);
      const types = (await engine.describe("remote_rows")).map((c) => c.type);
      expect(types).toEqual(["UBIGINT", "BIGINT", "DOUBLE", "DATE", "TIMESTAMP", "VARCHAR", "INTEGER"]);
      const rows = (
        await engine.query(
          "SELECT id::VARCHAR AS id, n::VARCHAR AS n, x, day::VARCHAR AS day, ts::VARCHAR AS ts, s, ok FROM remote_rows",
        )
      )
        .toArray()
        .map((r) => r.toJSON());
      expect(rows).toEqual([
        {
          id: "18446744073709551615",
          n: "-9223372036854775808",
          x: 1.5,
          day: "2024-02-29",
          ts: "2024-02-29 13:14:15",
          s: "ü 'x'",
          ok: 1,
        },
        { id: "7", n: "9007199254740993", x: null, day: null, ts: null, s: null, ok: 0 },
      ]);
    } finally {
      await engine.close();
    }
  });
});
