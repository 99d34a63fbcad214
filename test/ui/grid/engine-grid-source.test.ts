/**
 * engineGridSource(engine, table, columns, numRows) over a million-row table on the Node engine:
 * pages in table order, sorted and filtered results in a temporary table, downloads of the whole
 * result, and release() dropping what open() made.
 */
import { parquetReadObjects } from "hyparquet";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ColumnInfo, Engine } from "../../../src/engine/engine.ts";
import { createNodeEngine } from "../../../src/engine/node.ts";
import { CSV_CHUNK_ROWS, GRID_TABLE_PREFIX, engineGridSource } from "../../../src/ui/grid/engine-grid-source.ts";
import type { GridSource } from "../../../src/ui/grid/grid-source.ts";

const N = 1_000_000;
let engine: Engine;
let columns: ColumnInfo[];
let source: GridSource;

beforeAll(async () => {
  engine = await createNodeEngine();
  await engine.exec(
    `CREATE TABLE big AS SELECT range AS id, range % 7 AS bucket, 'name ' || range AS label FROM range(${N})`,
  );
  columns = await engine.describe("big");
  source = engineGridSource(engine, "big", columns, N);
});

afterAll(async () => {
  await engine?.close();
});

async function scalar(sql: string, params: (string | number)[] = []): Promise<number> {
  return Number((await engine.query(sql, params)).getChildAt(0)!.get(0));
}

const gridTables = () =>
  scalar("SELECT count(*) FROM duckdb_tables() WHERE starts_with(table_name, ?)", [GRID_TABLE_PREFIX]);

describe("engineGridSource(engine, table, columns, numRows)", () => {
  it("engineGridSource.open(ALL_ROWS) pages through the table itself, in its order", async () => {
    const result = await source.open({ filters: {} });
    expect(result.numRows).toBe(N);
    expect(await gridTables()).toBe(0);
    const last = await result.rows(N - 200, 200);
    expect(last).toHaveLength(200);
    expect(last.at(-1)).toEqual({ id: N - 1, bucket: (N - 1) % 7, label: `name ${N - 1}` });
    expect(await result.rows(N - 5, 200)).toHaveLength(5);
    await result.release();
  });

  it("engineGridSource.open sorts descending in a temporary table and release() drops it", async () => {
    const result = await source.open({ filters: {}, sort: { column: "id", direction: "desc" } });
    expect(result.numRows).toBe(N);
    expect(await gridTables()).toBe(1);
    expect((await result.rows(0, 2)).map((r) => r.id)).toEqual([N - 1, N - 2]);
    expect((await result.rows(N - 1, 10)).map((r) => r.id)).toEqual([0]);
    await result.release();
    await result.release();
    expect(await gridTables()).toBe(0);
  });

  it("engineGridSource.open filters with bound values and counts like DuckDB does", async () => {
    const view = {
      filters: {
        bucket: { kind: "compare", op: "=", value: 3 } as const,
        label: { kind: "contains", text: "99" } as const,
      },
      sort: { column: "label", direction: "asc" } as const,
    };
    const result = await source.open(view);
    const expected = await scalar("SELECT count(*) FROM big WHERE bucket = 3 AND label LIKE '%99%'");
    expect(result.numRows).toBe(expected);
    const firstLabel = await scalar(
      "SELECT id FROM big WHERE bucket = 3 AND label LIKE '%99%' ORDER BY label, id LIMIT 1",
    );
    expect((await result.rows(0, 1))[0]!.id).toBe(firstLabel);

    // CSV: header plus one line per row, in the grid's order, read in chunks.
    const csv = await (await result.download("csv")).text();
    const lines = csv.trimEnd().split("\n");
    expect(lines[0]).toBe("id,bucket,label");
    expect(lines).toHaveLength(expected + 1);
    expect(lines[1]).toBe(`${firstLabel},3,name ${firstLabel}`);

    // Parquet: same rows, same order.
    const parquet = await (await result.download("parquet")).arrayBuffer();
    const rows = await parquetReadObjects({ file: parquet });
    expect(rows).toHaveLength(expected);
    expect(Number(rows[0]!.id)).toBe(firstLabel);
    await result.release();
  });

  it("engineGridSource CSV download of more than one chunk has every row once", async () => {
    const result = await source.open({ filters: { bucket: { kind: "compare", op: "<=", value: 1 } } });
    const expected = await scalar("SELECT count(*) FROM big WHERE bucket <= 1");
    expect(expected).toBeGreaterThan(CSV_CHUNK_ROWS * 2);
    const lines = (await (await result.download("csv")).text()).trimEnd().split("\n");
    expect(lines).toHaveLength(expected + 1);
    expect(new Set(lines).size).toBe(lines.length);
    await result.release();
  });

  it("engineGridSource over a view sorts without a rowid", async () => {
    await engine.exec("CREATE VIEW big_view AS SELECT * FROM big WHERE id < 1000");
    const viewSource = engineGridSource(engine, "big_view", columns, 1000);
    const result = await viewSource.open({ filters: {}, sort: { column: "bucket", direction: "desc" } });
    expect(result.numRows).toBe(1000);
    expect((await result.rows(0, 3)).every((r) => r.bucket === 6)).toBe(true);
    await result.release();
  });

  it("engineGridSource hides internal table names and keeps others", () => {
    expect(engineGridSource(engine, "__segbook_t3", columns, 0).name).toBeUndefined();
    expect(engineGridSource(engine, "big", columns, 0).name).toBe("big");
  });
});
