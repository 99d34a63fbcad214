/**
 * The engine conformance suite, as data: both engines (Node and browser) must give `expected` for
 * every case.
 *
 * Rules for a case's `run`, because the browser runner serializes it with
 * Function.prototype.toString and evaluates it inside a page:
 * - it is SELF-CONTAINED: it uses only its two arguments and globals (TextEncoder, Blob, Date, JSON...),
 *   never imports or variables of this module, and defines no named helper functions;
 * - it returns plain JSON (bigints turned into strings or numbers inside `run`);
 * - it uses table names of its own, so all cases can share one engine, in any order.
 * `fixtureUrl(file)` gives the FileSource of test/fixtures/<file> (a path in Node, a URL in the browser).
 */
import type { Engine, FileSource, LoadOptions } from "../../src/engine/engine.ts";

/** One conformance case. */
export interface EngineCase {
  title: string;
  run: (engine: Engine, fixtureUrl: (file: string) => FileSource) => Promise<unknown>;
  expected: unknown;
}

/** The people fixture as DuckDB sniffs people.csv/people.tsv, rows ordered by id. */
const peopleCsvColumns = [
  { name: "id", type: "BIGINT" },
  { name: "name", type: "VARCHAR" },
  { name: "signup", type: "DATE" },
  { name: "score", type: "DOUBLE" },
  { name: "city", type: "VARCHAR" },
];
const peopleRows = [
  { id: 1, name: "Smith, Ann", signup: "2024-01-15", score: 12.5, city: "Oslo" },
  { id: 2, name: 'O"Brien', signup: "2024-02-29", score: 7.25, city: "Bergen" },
  { id: 3, name: "Zoë", signup: "2023-12-31", score: 3, city: "Tromsø" },
  { id: 4, name: "Lee", signup: "2024-03-01", score: null, city: null },
  { id: 5, name: "Kim", signup: "2024-03-02", score: 0.5, city: "Oslo" },
];
const peopleJsonColumns = [
  { name: "id", type: "INTEGER" },
  { name: "name", type: "VARCHAR" },
  { name: "signup", type: "DATE" },
  { name: "score", type: "DOUBLE" },
  { name: "active", type: "BOOLEAN" },
  { name: "city", type: "VARCHAR" },
];
const peopleJsonActive = [true, false, true, null, false];
/** people.json/.ndjson rows: the CSV rows plus `active`, keys in the files' order. */
const peopleJsonRows = peopleRows.map(({ id, name, signup, score, city }, i) => ({
  id,
  name,
  signup,
  score,
  active: peopleJsonActive[i],
  city,
}));

/** row-groups.parquet was written by native DuckDB from range(5000); these are its aggregates. */
const rowGroupsExpected = (() => {
  let sumI = 0;
  let sumSq = 0;
  let nonNullM = 0;
  let sumM = 0;
  for (let i = 0; i < 5000; i++) {
    sumI += i;
    sumSq += i * i;
    if (i % 7 !== 0) {
      nonNullM++;
      sumM += i % 5;
    }
  }
  return { count: 5000, sumI, sumSq: String(sumSq), nonNullM, sumM, outOfOrder: 0, groups: 3 };
})();

export const engineCases: EngineCase[] = [
  {
    title: "query(sql, params) binds strings with quotes, semicolons and unicode verbatim",
    run: async (engine) => {
      const text = `it's "quoted"; DROP TABLE x; -- Zoë 😀 ✓`;
      const table = await engine.query("SELECT ? AS s, ? = ? AS same", [text, text, text]);
      const row = table.get(0)!.toJSON();
      return { s: row.s, same: row.same, roundTrips: row.s === text };
    },
    expected: { s: `it's "quoted"; DROP TABLE x; -- Zoë 😀 ✓`, same: true, roundTrips: true },
  },
  {
    title: "query(sql, params) binds every double exactly, also where duckdb-wasm's JSON would round it",
    run: async (engine) => {
      // 1086.1200000000001 and 123456789.12345679 arrived rounded before params were sent as text.
      const values = [1086.1200000000001, 123456789.12345679, 0.30000000000000004, -2.5e-310, 1.5];
      const table = await engine.query(
        "SELECT ? AS a, ? AS b, ? AS c, ? AS d, typeof(?) AS t, ? = 1086.1200000000001 AS edge, '?' AS text",
        [...values, 1086.1200000000001],
      );
      const row = table.get(0)!.toJSON();
      return {
        exact: [row.a, row.b, row.c, row.d].every((v, i) => Object.is(v, values[i])),
        type: row.t,
        edge: row.edge,
        text: row.text,
      };
    },
    expected: { exact: true, type: "DOUBLE", edge: true, text: "?" },
  },
  {
    title: "query(sql, params) binds int, float, bool, null, bigint and Date parameters",
    run: async (engine) => {
      const table = await engine.query(
        "SELECT ? + 1 AS i, ? * 2 AS f, NOT ? AS b, ? IS NULL AS isNull, ?::BIGINT AS big, " +
          "?::BIGINT + 1 AS smallBig, CAST(? AS TIMESTAMP)::VARCHAR AS ts, CAST(? AS DATE)::VARCHAR AS d, " +
          "typeof(?) AS numberType",
        [
          41,
          1.25,
          false,
          null,
          9007199254740993n,
          5n,
          new Date(Date.UTC(2024, 0, 2, 3, 4, 5)),
          new Date(Date.UTC(2024, 1, 29)),
          7,
        ],
      );
      const row = table.get(0)!.toJSON();
      return {
        i: Number(row.i),
        f: row.f,
        b: row.b,
        isNull: row.isNull,
        big: String(row.big),
        smallBig: String(row.smallBig),
        ts: row.ts,
        d: row.d,
        numberType: row.numberType,
      };
    },
    expected: {
      i: 42,
      f: 2.5,
      b: true,
      isNull: true,
      big: "9007199254740993",
      smallBig: "6",
      ts: "2024-01-02 03:04:05",
      d: "2024-02-29",
      numberType: "DOUBLE",
    },
  },
  {
    title: "query(sql) returns an Arrow table with the result's fields and rows",
    run: async (engine) => {
      const table = await engine.query("SELECT range AS n, 'x' || range AS label FROM range(5) ORDER BY n");
      return {
        numRows: table.numRows,
        fields: table.schema.fields.map((field) => field.name),
        labels: table.getChild("label")!.toArray(),
        sum: table
          .getChild("n")!
          .toArray()
          .reduce((total: number, value: bigint) => total + Number(value), 0),
      };
    },
    expected: { numRows: 5, fields: ["n", "label"], labels: ["x0", "x1", "x2", "x3", "x4"], sum: 10 },
  },
  {
    title: "exec(sql) runs several statements in order and resolves to undefined",
    run: async (engine) => {
      const result = await engine.exec(
        "CREATE TABLE exec_t (x INTEGER); INSERT INTO exec_t VALUES (1), (2); INSERT INTO exec_t SELECT x + 10 FROM exec_t;",
      );
      const table = await engine.query("SELECT count(*)::INTEGER AS n, sum(x)::INTEGER AS total FROM exec_t");
      return { result: result === undefined ? "undefined" : result, ...table.get(0)!.toJSON() };
    },
    expected: { result: "undefined", n: 4, total: 26 },
  },
  {
    title: "loadFile(name, people.csv) sniffs BIGINT, VARCHAR, DATE and DOUBLE columns and keeps quoted text",
    run: async (engine, fixtureUrl) => {
      const loaded = await engine.loadFile("people_csv", fixtureUrl("people.csv"));
      const rows = await engine.query(
        "SELECT id::INTEGER AS id, name, signup::VARCHAR AS signup, score, city FROM people_csv ORDER BY id",
      );
      return {
        name: loaded.name,
        numRows: loaded.numRows,
        columns: loaded.columns,
        rows: rows.toArray().map((row) => row.toJSON()),
      };
    },
    expected: { name: "people_csv", numRows: 5, columns: peopleCsvColumns, rows: peopleRows },
  },
  {
    title: "loadFile(name, people.tsv) reads tab-separated text",
    run: async (engine, fixtureUrl) => {
      const loaded = await engine.loadFile("people_tsv", fixtureUrl("people.tsv"));
      const rows = await engine.query("SELECT name, signup::VARCHAR AS signup, score FROM people_tsv ORDER BY id");
      return { numRows: loaded.numRows, columns: loaded.columns, rows: rows.toArray().map((row) => row.toJSON()) };
    },
    expected: {
      numRows: 5,
      columns: peopleCsvColumns,
      rows: peopleRows.map(({ name, signup, score }) => ({
        name: name === 'O"Brien' ? "O'Brien" : name,
        signup,
        score,
      })),
    },
  },
  {
    title: "loadFile(name, codes.txt, {format, csv: {delimiter, header, names, columns}}) applies every override",
    run: async (engine, fixtureUrl) => {
      const loaded = await engine.loadFile("codes", fixtureUrl("codes.txt"), {
        format: "csv",
        csv: { delimiter: "|", header: false, names: ["code", "city", "n"], columns: { code: "VARCHAR" } },
      });
      const rows = await engine.query("SELECT code, city, n::INTEGER AS n FROM codes ORDER BY code");
      return { numRows: loaded.numRows, columns: loaded.columns, rows: rows.toArray().map((row) => row.toJSON()) };
    },
    expected: {
      numRows: 3,
      columns: [
        { name: "code", type: "VARCHAR" },
        { name: "city", type: "VARCHAR" },
        { name: "n", type: "BIGINT" },
      ],
      rows: [
        { code: "007", city: "Oslo", n: 12 },
        { code: "010", city: "Bergen", n: 7 },
        { code: "120", city: "Tromsø", n: 3 },
      ],
    },
  },
  {
    title:
      "loadFile(name, whitespace.txt) reads runs of spaces as one separator, yyyymmdd as DATE; {delimiter: ' ', header: false} too",
    run: async (engine, fixtureUrl) => {
      const loaded = await engine.loadFile("spaced", fixtureUrl("bad-data/whitespace.txt"));
      const rows = await engine.query(
        "SELECT customer_id, CAST(order_date AS VARCHAR) AS order_date, name, amount FROM spaced ORDER BY 1",
      );
      const raw = await engine.loadFile("spaced_raw", fixtureUrl("bad-data/whitespace.txt"), {
        csv: { delimiter: " ", header: false },
      });
      return {
        numRows: loaded.numRows,
        columns: loaded.columns,
        notes: loaded.notes,
        rows: rows.toArray().map((row) => row.toJSON()),
        raw: { numRows: raw.numRows, names: raw.columns.map((c) => c.name) },
      };
    },
    expected: {
      numRows: 3,
      columns: [
        { name: "customer_id", type: "VARCHAR" },
        { name: "order_date", type: "DATE" },
        { name: "name", type: "VARCHAR" },
        { name: "amount", type: "DOUBLE" },
      ],
      notes: [
        "lines end with CRLF (Windows line ends): read as line breaks",
        "columns separated by runs of spaces: read as whitespace-separated (4 columns)",
        "column order_date: 8-digit numbers read as dates (yyyymmdd: 19970101 is 1997-01-01)",
      ],
      rows: [
        { customer_id: "00001", order_date: "1997-01-01", name: "Ann Smith", amount: 11.77 },
        { customer_id: "00002", order_date: "1997-01-12", name: "Bob", amount: 12 },
        { customer_id: "00003", order_date: "1997-01-02", name: "Cy Lee", amount: 20.76 },
      ],
      raw: { numRows: 4, names: ["column0", "column1", "column2", "column3"] },
    },
  },
  {
    title: "loadFile(name, people.csv, {csv: {columns}}) overrides some column types and sniffs the rest",
    run: async (engine, fixtureUrl) => {
      const loaded = await engine.loadFile("people_typed", fixtureUrl("people.csv"), {
        csv: { columns: { id: "VARCHAR", score: "DECIMAL(6,2)" } },
      });
      const sum = await engine.query("SELECT sum(score)::VARCHAR AS total FROM people_typed");
      return { columns: loaded.columns, total: sum.get(0)!.toJSON().total };
    },
    expected: {
      columns: [
        { name: "id", type: "VARCHAR" },
        { name: "name", type: "VARCHAR" },
        { name: "signup", type: "DATE" },
        { name: "score", type: "DECIMAL(6,2)" },
        { name: "city", type: "VARCHAR" },
      ],
      total: "23.25",
    },
  },
  {
    title: "loadFile(name, csv) relaxes strict mode once when the sniffer fails on mixed LF/CRLF line ends",
    run: async (engine) => {
      const text = "id,label (k$)\n1,a\r\n2,b\r\n3,c\r\n";
      const source = { kind: "bytes" as const, bytes: new TextEncoder().encode(text), fileName: "mixed.csv" };
      const relaxed = await engine.loadFile("mixed_eol", source);
      let strictError = "";
      try {
        await engine.loadFile("mixed_eol_strict", source, { csv: { strictMode: true } });
      } catch (error) {
        strictError = (error as Error).message;
      }
      const rows = await engine.query('SELECT id::INTEGER AS id, "label (k$)" AS label FROM mixed_eol ORDER BY id');
      return {
        columns: relaxed.columns,
        rows: rows.toArray().map((row) => row.toJSON()),
        strictError: strictError.startsWith(
          'loadFile: could not read "mixed.csv" as CSV: Invalid Input Error: Error when sniffing file "mixed.csv"',
        ),
      };
    },
    expected: {
      columns: [
        { name: "id", type: "BIGINT" },
        { name: "label (k$)", type: "VARCHAR" },
      ],
      rows: [
        { id: 1, label: "a" },
        { id: 2, label: "b" },
        { id: 3, label: "c" },
      ],
      strictError: true,
    },
  },
  {
    title: "loadFile(name, people.parquet) keeps INTEGER, BIGINT, DOUBLE, VARCHAR, BOOLEAN, DATE, TIMESTAMP and nulls",
    run: async (engine, fixtureUrl) => {
      const loaded = await engine.loadFile("people_parquet", fixtureUrl("people.parquet"));
      const rows = await engine.query(
        "SELECT id, name, signup::VARCHAR AS signup, score, city, visits::VARCHAR AS visits, active, " +
          "last_seen::VARCHAR AS last_seen FROM people_parquet ORDER BY id",
      );
      return { numRows: loaded.numRows, columns: loaded.columns, rows: rows.toArray().map((row) => row.toJSON()) };
    },
    expected: {
      numRows: 5,
      columns: [
        { name: "id", type: "INTEGER" },
        { name: "name", type: "VARCHAR" },
        { name: "signup", type: "DATE" },
        { name: "score", type: "DOUBLE" },
        { name: "city", type: "VARCHAR" },
        { name: "visits", type: "BIGINT" },
        { name: "active", type: "BOOLEAN" },
        { name: "last_seen", type: "TIMESTAMP" },
      ],
      // As written by native DuckDB in scripts/make-fixtures.ts.
      rows: [
        {
          id: 1,
          name: "Smith, Ann",
          signup: "2024-01-15",
          score: 12.5,
          city: "Oslo",
          visits: "9007199254740993",
          active: true,
          last_seen: "2024-01-15 10:30:00.123456",
        },
        {
          id: 2,
          name: 'O"Brien',
          signup: "2024-02-29",
          score: 7.25,
          city: "Bergen",
          visits: "-42",
          active: false,
          last_seen: "2024-02-29 23:59:59",
        },
        {
          id: 3,
          name: "Zoë",
          signup: "2023-12-31",
          score: 3,
          city: "Tromsø",
          visits: "0",
          active: true,
          last_seen: "1969-12-31 23:59:59.5",
        },
        {
          id: 4,
          name: "Lee",
          signup: "1969-07-20",
          score: null,
          city: null,
          visits: null,
          active: null,
          last_seen: null,
        },
        {
          id: 5,
          name: null,
          signup: null,
          score: 0.5,
          city: "Oslo",
          visits: "7",
          active: false,
          last_seen: "2024-03-02 00:00:00",
        },
      ],
    },
  },
  {
    // 19.99 comes back as 19.99: decimals become DOUBLE by DuckDB's own CAST in every engine
    // (parquet-wasm's Arrow on duckdb-wasm, read_parquet on native DuckDB).
    title:
      "loadFile(name, parquet-types.parquet) reads DECIMAL as DOUBLE, UTC timestamps as TIMESTAMP and JSON as VARCHAR",
    run: async (engine, fixtureUrl) => {
      const loaded = await engine.loadFile("parquet_types", fixtureUrl("parquet-types.parquet"));
      const rows = await engine.query(
        "SELECT id, price, paid_at::VARCHAR AS paid_at, meta FROM parquet_types ORDER BY id",
      );
      return { numRows: loaded.numRows, columns: loaded.columns, rows: rows.toArray().map((row) => row.toJSON()) };
    },
    expected: {
      numRows: 3,
      columns: [
        { name: "id", type: "INTEGER" },
        { name: "price", type: "DOUBLE" },
        { name: "paid_at", type: "TIMESTAMP" },
        { name: "meta", type: "VARCHAR" },
      ],
      rows: [
        { id: 1, price: 19.99, paid_at: "2024-03-31 23:30:00", meta: '{"vip": true}' },
        { id: 2, price: null, paid_at: null, meta: null },
        { id: 3, price: -0.07, paid_at: "1969-12-31 23:59:59.5", meta: "[]" },
      ],
    },
  },
  {
    title: "loadFile(name, row-groups.parquet) reads every row group in order",
    run: async (engine, fixtureUrl) => {
      const loaded = await engine.loadFile("row_groups", fixtureUrl("row-groups.parquet"));
      const table = await engine.query(
        "SELECT count(*)::INTEGER AS count, sum(i)::DOUBLE AS sumI, sum(sq)::VARCHAR AS sumSq, " +
          "count(m)::INTEGER AS nonNullM, sum(m)::DOUBLE AS sumM, " +
          "count(*) FILTER (WHERE i <> rowid)::INTEGER AS outOfOrder, count(DISTINCT g)::INTEGER AS groups " +
          "FROM row_groups",
      );
      return { numRows: loaded.numRows, ...table.get(0)!.toJSON() };
    },
    expected: { numRows: 5000, ...rowGroupsExpected },
  },
  {
    title: "loadFile(name, people.json) loads an array of objects in key order with DATE columns",
    run: async (engine, fixtureUrl) => {
      const loaded = await engine.loadFile("people_json", fixtureUrl("people.json"));
      const rows = await engine.query(
        "SELECT id, name, signup::VARCHAR AS signup, score, active, city FROM people_json ORDER BY id",
      );
      return { numRows: loaded.numRows, columns: loaded.columns, rows: rows.toArray().map((row) => row.toJSON()) };
    },
    expected: {
      numRows: 5,
      columns: peopleJsonColumns,
      rows: peopleJsonRows,
    },
  },
  {
    title: "loadFile(name, people.ndjson) loads one object per line like the JSON array",
    run: async (engine, fixtureUrl) => {
      const loaded = await engine.loadFile("people_ndjson", fixtureUrl("people.ndjson"));
      const rows = await engine.query(
        "SELECT id, name, signup::VARCHAR AS signup, score, active, city FROM people_ndjson ORDER BY id",
      );
      return { numRows: loaded.numRows, columns: loaded.columns, rows: rows.toArray().map((row) => row.toJSON()) };
    },
    expected: {
      numRows: 5,
      columns: peopleJsonColumns,
      rows: peopleJsonRows,
    },
  },
  {
    title: 'loadFile(name, csv, {as: "view"}) creates a view over the file; JSON and Parquet refuse views',
    run: async (engine, fixtureUrl) => {
      const loaded = await engine.loadFile("people_view", fixtureUrl("people.csv"), { as: "view" });
      const kind = await engine.query(
        "SELECT table_type FROM information_schema.tables WHERE table_name = 'people_view'",
      );
      const sum = await engine.query("SELECT sum(id)::INTEGER AS total FROM people_view");
      let parquetError = "";
      try {
        await engine.loadFile("people_view_pq", fixtureUrl("people.parquet"), { as: "view" });
      } catch (error) {
        parquetError = (error as Error).message;
      }
      return {
        numRows: loaded.numRows,
        columns: loaded.columns,
        kind: kind.get(0)!.toJSON().table_type,
        total: sum.get(0)!.toJSON().total,
        parquetError,
      };
    },
    expected: {
      numRows: 5,
      columns: peopleCsvColumns,
      kind: "VIEW",
      total: 15,
      parquetError:
        'loadFile: {as: "view"} works for CSV/TSV only; Parquet files are copied into a table, so omit {as: "view"} for "people.parquet"',
    },
  },
  {
    title: "loadFile(name, ...) replaces an existing table or view of that name, ignoring case",
    run: async (engine, fixtureUrl) => {
      await engine.exec("CREATE TABLE people_swap AS SELECT 1 AS old");
      const steps = [];
      const relation =
        "SELECT table_name, table_type FROM information_schema.tables WHERE lower(table_name) = 'people_swap'";
      await engine.loadFile("people_swap", fixtureUrl("people.csv"));
      steps.push((await engine.query(relation)).toArray().map((row) => row.toJSON()));
      await engine.loadFile("people_swap", fixtureUrl("people.tsv"), { as: "view" });
      steps.push((await engine.query(relation)).toArray().map((row) => row.toJSON()));
      const result = await engine.loadFile("PEOPLE_SWAP", fixtureUrl("people.json"));
      steps.push((await engine.query(relation)).toArray().map((row) => row.toJSON()));
      return { steps, columns: result.columns.map((column) => column.name) };
    },
    expected: {
      steps: [
        [{ table_name: "people_swap", table_type: "BASE TABLE" }],
        [{ table_name: "people_swap", table_type: "VIEW" }],
        [{ table_name: "PEOPLE_SWAP", table_type: "BASE TABLE" }],
      ],
      columns: ["id", "name", "signup", "score", "active", "city"],
    },
  },
  {
    title: "describe(name) lists a table's columns and names a missing table in its error",
    run: async (engine) => {
      await engine.exec('CREATE TABLE describe_t (a INTEGER, "b c" VARCHAR, d DATE, e DECIMAL(10,2), f BIGINT[])');
      let missing = "";
      try {
        await engine.describe("no_such_table");
      } catch (error) {
        missing = (error as Error).message;
      }
      return {
        columns: await engine.describe("describe_t"),
        missingNamesTable: missing.includes('"no_such_table"') && missing.startsWith("describe:"),
      };
    },
    expected: {
      columns: [
        { name: "a", type: "INTEGER" },
        { name: "b c", type: "VARCHAR" },
        { name: "d", type: "DATE" },
        { name: "e", type: "DECIMAL(10,2)" },
        { name: "f", type: "BIGINT[]" },
      ],
      missingNamesTable: true,
    },
  },
  {
    title: "loadFile(...) reports the sha256 of the source bytes for paths/URLs, bytes and Blobs",
    run: async (engine, fixtureUrl) => {
      const fromFixture = await engine.loadFile("sha_fixture", fixtureUrl("people.csv"));
      const fromBytes = await engine.loadFile("sha_bytes", {
        kind: "bytes",
        bytes: new TextEncoder().encode("a,b\n1,2\n"),
        fileName: "inline.csv",
      });
      const fromBlob = await engine.loadFile("sha_blob", {
        kind: "file",
        file: new Blob(["x;y\n1;2\n3;4\n"]),
        fileName: "blob.csv",
      });
      const blobSum = await engine.query("SELECT sum(x + y)::INTEGER AS total FROM sha_blob");
      return {
        fixture: fromFixture.sha256,
        bytes: fromBytes.sha256,
        blob: fromBlob.sha256,
        blobRows: fromBlob.numRows,
        blobTotal: blobSum.get(0)!.toJSON().total,
      };
    },
    // Reference digests from `sha256sum` (and `printf '...' | sha256sum` for the inline texts).
    expected: {
      fixture: "d9c909cf0883e0b24197c3f6995f66277ab079d4a25a1f66e1ceebb04d70cfce",
      bytes: "492d5ea496056f1a6a6592241032fab764c321596317930b4fa0e1e8bc3b7470",
      blob: "60586ca89e05d8386dc4d408975e3e2824ead37a29b5ab5b4718b4ad3482e7a8",
      blobRows: 2,
      blobTotal: 10,
    },
  },
  {
    title:
      'loadFile({kind: "file", sha256}) reports the caller\'s digest of the Blob instead of reading it again to hash it',
    run: async (engine) => {
      const file = new Blob(["x;y\n1;2\n3;4\n"]);
      // The digest the data panel computed when the file was added (here: upper case, as a user may paste it).
      const given = "60586CA89E05D8386DC4D408975E3E2824EAD37A29B5AB5B4718B4AD3482E7A8";
      let slicesRead = 0;
      const slice = file.slice.bind(file);
      file.slice = (...args) => (slicesRead++, slice(...args));
      // The load itself may read slices (a prefix, a registered file); hashing this small Blob reads one more.
      await engine.loadFile("sha_hashed", { kind: "file", file, fileName: "given.csv" });
      const withHashing = slicesRead;
      slicesRead = 0;
      const loaded = await engine.loadFile("sha_given", { kind: "file", file, fileName: "given.csv", sha256: given });
      const slicesSaved = withHashing - slicesRead;
      const bad = await engine.loadFile("sha_bad", { kind: "file", file, fileName: "given.csv", sha256: "abc" }).then(
        () => "loaded",
        (error: Error) => error.message,
      );
      return { sha256: loaded.sha256, rows: loaded.numRows, slicesSaved, bad };
    },
    expected: {
      sha256: "60586ca89e05d8386dc4d408975e3e2824ead37a29b5ab5b4718b4ad3482e7a8",
      rows: 2,
      slicesSaved: 1,
      bad: 'loadFile: sha256 "abc" is not a SHA-256 (64 hex digits); leave it out and the file is hashed',
    },
  },
  {
    title: "query(read_parquet(...)) fails fast naming the missing extension, and INSTALL/LOAD are refused",
    run: async (engine) => {
      const started = Date.now();
      const messages: string[] = [];
      for (const sql of [
        "SELECT * FROM read_parquet('people.parquet')",
        "SELECT * FROM read_json('people.json')",
        "LOAD parquet",
        "SELECT 1; INSTALL json",
      ]) {
        try {
          await engine.query(sql);
          messages.push("no error");
        } catch (error) {
          messages.push((error as Error).message);
        }
      }
      return {
        parquet: /"parquet" extension/.test(messages[0]!) && /loadFile/.test(messages[0]!),
        json: /"json" extension/.test(messages[1]!),
        load: messages[2]!.startsWith("LOAD statements are not allowed"),
        install: messages[3]!.startsWith("INSTALL statements are not allowed"),
        fast: Date.now() - started < 5000,
      };
    },
    expected: { parquet: true, json: true, load: true, install: true, fast: true },
  },
  {
    title: "loadFile(...) errors name the file and the fix: unknown format, missing file, bad name, bad CSV, bad JSON",
    run: async (engine, fixtureUrl) => {
      const attempts: [string, FileSource, LoadOptions?][] = [
        ["bad_format", fixtureUrl("notes.xlsx")],
        ["bad_missing", fixtureUrl("does-not-exist.csv")],
        ["", fixtureUrl("people.csv")],
        ["bad_csv", fixtureUrl("people.csv"), { csv: { columns: { name: "INTEGER" } } }],
        ["bad_json", { kind: "bytes", bytes: new TextEncoder().encode('{"a": 1}\n{"a": '), fileName: "broken.ndjson" }],
      ];
      const messages = [];
      for (const [name, source, options] of attempts) {
        try {
          await engine.loadFile(name, source, options);
          messages.push("no error");
        } catch (error) {
          messages.push((error as Error).message);
        }
      }
      const leftovers = await engine.query(
        "SELECT count(*)::INTEGER AS n FROM information_schema.tables WHERE table_name LIKE 'bad%' OR table_name LIKE '__segbook%'",
      );
      return {
        format: messages[0],
        missing: messages[1]!.startsWith("loadFile:") && messages[1]!.includes("does-not-exist.csv"),
        name: messages[2],
        csv:
          messages[3]!.startsWith('loadFile: could not read "people.csv" as CSV:') &&
          messages[3]!.includes('Could not convert string "Smith, Ann"') &&
          !messages[3]!.includes("segbook-"),
        json: messages[4]!.startsWith('loadFile: "broken.ndjson" line 2 is not valid JSON'),
        leftovers: leftovers.get(0)!.toJSON().n,
      };
    },
    expected: {
      format: 'loadFile: unknown format "xlsx" for "notes.xlsx"; pass {format: "csv"|"tsv"|"parquet"|"json"}',
      missing: true,
      name: 'loadFile: invalid table name "": a table name must be a non-empty string; use a name such as "customers"',
      csv: true,
      json: true,
      leftovers: 0,
    },
  },
  {
    title: "insertArrow(name, table) round-trips a query result and replaces an existing table",
    run: async (engine) => {
      const original = await engine.query(
        "SELECT range::INTEGER AS i, range * 1.5 AS x, 'r' || range AS s, DATE '2024-01-01' + range::INTEGER AS d, " +
          "CASE WHEN range = 2 THEN NULL ELSE range END AS maybe, (range * 4000000000000)::BIGINT AS big FROM range(4)",
      );
      await engine.insertArrow("arrow_copy", original);
      await engine.insertArrow("arrow_copy", original);
      const copy = await engine.query(
        "SELECT i, x::VARCHAR AS x, s, d::VARCHAR AS d, maybe::VARCHAR AS maybe, big::VARCHAR AS big FROM arrow_copy ORDER BY i",
      );
      return { columns: await engine.describe("arrow_copy"), rows: copy.toArray().map((row) => row.toJSON()) };
    },
    expected: {
      columns: [
        { name: "i", type: "INTEGER" },
        { name: "x", type: "DECIMAL(21,1)" },
        { name: "s", type: "VARCHAR" },
        { name: "d", type: "DATE" },
        { name: "maybe", type: "BIGINT" },
        { name: "big", type: "BIGINT" },
      ],
      rows: [
        { i: 0, x: "0.0", s: "r0", d: "2024-01-01", maybe: "0", big: "0" },
        { i: 1, x: "1.5", s: "r1", d: "2024-01-02", maybe: "1", big: "4000000000000" },
        { i: 2, x: "3.0", s: "r2", d: "2024-01-03", maybe: null, big: "8000000000000" },
        { i: 3, x: "4.5", s: "r3", d: "2024-01-04", maybe: "3", big: "12000000000000" },
      ],
    },
  },
  {
    title: "query(...) calls made without awaiting run in call order",
    run: async (engine) => {
      const pending = [
        engine.exec("CREATE TABLE order_t (step INTEGER)"),
        engine.exec("INSERT INTO order_t VALUES (1)"),
        engine.query("SELECT count(*)::INTEGER AS n FROM order_t"),
        engine.exec("INSERT INTO order_t VALUES (2)"),
        engine.query("SELECT sum(step)::INTEGER AS total FROM order_t"),
      ];
      const results = await Promise.all(pending);
      return [
        (results[2] as Awaited<ReturnType<Engine["query"]>>).get(0)!.toJSON(),
        (results[4] as Awaited<ReturnType<Engine["query"]>>).get(0)!.toJSON(),
      ];
    },
    expected: [{ n: 1 }, { total: 3 }],
  },
];
