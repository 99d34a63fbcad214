/**
 * Writes the engine test fixtures in test/fixtures/. Run with `npx tsx scripts/make-fixtures.ts`.
 *
 * Text fixtures are written from the literals below. The Parquet fixtures are written by native
 * DuckDB (`@duckdb/node-api`), a writer independent of the code under test (hyparquet reading into
 * duckdb-wasm), so a round-trip bug cannot cancel itself out.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { DuckDBInstance } from "@duckdb/node-api";

const fixturesDir = fileURLToPath(new URL("../test/fixtures/", import.meta.url));

/** The five people every text fixture holds; text with a comma, quotes, non-ASCII and nulls. */
const peopleCsv = `id,name,signup,score,city
1,"Smith, Ann",2024-01-15,12.5,Oslo
2,"O""Brien",2024-02-29,7.25,Bergen
3,Zoë,2023-12-31,3.0,Tromsø
4,Lee,2024-03-01,,
5,Kim,2024-03-02,0.5,Oslo
`;

// TSV files usually do not quote, so the names here need no quoting.
const peopleTsv = `id\tname\tsignup\tscore\tcity
1\tSmith, Ann\t2024-01-15\t12.5\tOslo
2\tO'Brien\t2024-02-29\t7.25\tBergen
3\tZoë\t2023-12-31\t3.0\tTromsø
4\tLee\t2024-03-01\t\t
5\tKim\t2024-03-02\t0.5\tOslo
`;

const peopleRows = [
  { id: 1, name: "Smith, Ann", signup: "2024-01-15", score: 12.5, active: true, city: "Oslo" },
  { id: 2, name: 'O"Brien', signup: "2024-02-29", score: 7.25, active: false, city: "Bergen" },
  { id: 3, name: "Zoë", signup: "2023-12-31", score: 3, active: true, city: "Tromsø" },
  { id: 4, name: "Lee", signup: "2024-03-01", score: null, active: null, city: null },
  { id: 5, name: "Kim", signup: "2024-03-02", score: 0.5, active: false, city: "Oslo" },
];

/** Pipe-separated, no header, codes with leading zeros that the sniffer would turn into numbers. */
const codesTxt = `007|Oslo|12
010|Bergen|7
120|Tromsø|3
`;

const peopleParquetSql = `
SELECT * FROM (VALUES
  (1::INTEGER, 'Smith, Ann', DATE '2024-01-15', 12.5::DOUBLE, 'Oslo', 9007199254740993::BIGINT, true, TIMESTAMP '2024-01-15 10:30:00.123456'),
  (2::INTEGER, 'O"Brien', DATE '2024-02-29', 7.25::DOUBLE, 'Bergen', -42::BIGINT, false, TIMESTAMP '2024-02-29 23:59:59'),
  (3::INTEGER, 'Zoë', DATE '2023-12-31', 3.0::DOUBLE, 'Tromsø', 0::BIGINT, true, TIMESTAMP '1969-12-31 23:59:59.5'),
  (4::INTEGER, 'Lee', DATE '1969-07-20', NULL::DOUBLE, NULL::VARCHAR, NULL::BIGINT, NULL::BOOLEAN, NULL::TIMESTAMP),
  (5::INTEGER, NULL::VARCHAR, NULL::DATE, 0.5::DOUBLE, 'Oslo', 7::BIGINT, false, TIMESTAMP '2024-03-02 00:00:00')
) AS t(id, name, signup, score, city, visits, active, last_seen)`;

// Several row groups (and dictionary-encoded pages) so the reader's chunk assembly is exercised.
const rowGroupsParquetSql = `
SELECT i::INTEGER AS i, (i * i)::BIGINT AS sq, CASE WHEN i % 7 = 0 THEN NULL ELSE i % 5 END::INTEGER AS m,
       'g' || (i % 3)::VARCHAR AS g
FROM range(5000) AS r(i)`;

// Types the JS reader converts (DECIMAL -> DOUBLE, UTC timestamps -> TIMESTAMP, JSON -> VARCHAR) and
// the native engine's read_parquet must convert alike.
const parquetTypesSql = `
SELECT * FROM (VALUES
  (1, 19.99::DECIMAL(9,2), TIMESTAMPTZ '2024-03-31 23:30:00+00', '{"vip": true}'::JSON),
  (2, NULL, NULL, NULL),
  (3, -0.07::DECIMAL(9,2), TIMESTAMPTZ '1969-12-31 23:59:59.5+00', '[]'::JSON)
) t(id, price, paid_at, meta)`;

function write(name: string, text: string): void {
  writeFileSync(fixturesDir + name, text);
}

async function main(): Promise<void> {
  mkdirSync(fixturesDir, { recursive: true });
  write("people.csv", peopleCsv);
  write("people.tsv", peopleTsv);
  write("people.json", JSON.stringify(peopleRows, null, 2) + "\n");
  write("people.ndjson", peopleRows.map((row) => JSON.stringify(row)).join("\n") + "\n");
  write("codes.txt", codesTxt);
  write("notes.xlsx", "not a spreadsheet: only its extension matters to the unknown-format test\n");

  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  const copy = (sql: string, file: string, extra = "") =>
    connection.run(`COPY (${sql}) TO '${fixturesDir + file}' (FORMAT parquet${extra})`);
  await copy(peopleParquetSql, "people.parquet");
  await copy(rowGroupsParquetSql, "row-groups.parquet", ", ROW_GROUP_SIZE 2048");
  await copy(parquetTypesSql, "parquet-types.parquet");
  connection.closeSync();
  instance.closeSync();
}

await main();
