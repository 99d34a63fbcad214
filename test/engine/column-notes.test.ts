import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunSql } from "../../src/engine/catalog.ts";
import { describeRelation } from "../../src/engine/catalog.ts";
import { columnNotes } from "../../src/engine/column-notes.ts";
import type { Engine } from "../../src/engine/engine.ts";
import { createNodeEngine } from "../../src/engine/node.ts";

let engine: Engine;
beforeAll(async () => {
  engine = await createNodeEngine();
});
afterAll(() => engine.close());

/** Runs columnNotes on `table`, recording each statement it sends. */
async function notesOf(table: string) {
  const statements: string[] = [];
  const run: RunSql = (sql) => {
    statements.push(sql);
    return engine.query(sql);
  };
  const columns = await describeRelation(run, table);
  statements.length = 0;
  const notes = await columnNotes(run, table, columns, "table");
  // Statements that read every row: not over the first-rows subquery.
  const full = statements.filter((sql) => !sql.includes("LIMIT 20000)"));
  return { notes, full, statements };
}

describe("columnNotes(run, relation, columns, kind)", () => {
  it("reads only the first rows when they rule every column out: a fraction, no digit, a value out of the date range", async () => {
    await engine.exec(
      `CREATE TABLE ruled_out AS SELECT i AS id, CASE WHEN i = 1 THEN 1.5 ELSE i::DOUBLE END AS price, ` +
        `'web' AS channel FROM range(1, 50001) t(i)`,
    );
    const { notes, full } = await notesOf("ruled_out");
    expect(notes).toEqual([]);
    expect(full).toEqual([]);
  });

  it.each([
    [
      "a DOUBLE column whole in its first rows is read in full: whole everywhere, a note",
      "SELECT i::DOUBLE AS customer FROM range(1, 50001) t(i)",
      ["column customer: read 1.0 as DOUBLE; all values are whole numbers — cast with ::BIGINT if it is an id"],
    ],
    [
      "a DOUBLE column whole in its first rows only is read in full: a fraction later, no note",
      "SELECT CASE WHEN i = 40000 THEN 0.5 ELSE i::DOUBLE END AS amount FROM range(1, 50001) t(i)",
      [],
    ],
    [
      "an integer column in the date range in its first rows is read in full",
      "SELECT (20240101 + (i % 28))::BIGINT AS order_date FROM range(1, 50001) t(i)",
      ["column order_date: 8-digit numbers read as dates (yyyymmdd: 20240101 is 2024-01-01)"],
    ],
    [
      "a text column with digits in its first rows gets its shapes counted",
      "SELECT CASE WHEN i % 2 = 0 THEN '1,234' ELSE '5' END AS qty FROM range(1, 50001) t(i)",
      ['column qty: numbers with thousand separators ("1,234"): read as DOUBLE with the commas removed'],
    ],
  ])("%s", async (_, select, expected) => {
    await engine.exec(`CREATE OR REPLACE TABLE t AS ${select}`);
    const { notes, full } = await notesOf("t");
    expect(notes).toEqual(expected);
    expect(full.length).toBeGreaterThan(0);
  });

  it("counts text shapes per row while checking each distinct value once: a date repeated in most rows outweighs many one-off words", async () => {
    // 45,000 rows hold one ISO date, 5,000 rows a word each: by rows mostly dates (a note), by
    // distinct values mostly words (none), so the note proves the counts are weighted by rows.
    await engine.exec(
      `CREATE OR REPLACE TABLE mostly_dates AS SELECT CASE WHEN i % 10 = 0 THEN 'ref ' || i ELSE '2024-01-31' END ` +
        `AS shipped FROM range(1, 50001) t(i)`,
    );
    const { notes, statements } = await notesOf("mostly_dates");
    expect(notes).toEqual([
      'column shipped: ISO dates mixed with other values: kept as VARCHAR; parse with TRY_CAST("shipped" AS DATE)',
    ]);
    const regexStatements = statements.filter((sql) => sql.includes("regexp_"));
    expect(regexStatements.length).toBeGreaterThan(0);
    for (const sql of regexStatements) expect(sql).toContain("count(*) AS k");
  });
});
