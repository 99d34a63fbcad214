/**
 * Writes test/fixtures/customers.xlsx (two sheets) and test/fixtures/customers-xlsx.csv (the first
 * sheet's data as CSV, for an independent DuckDB query in the data-panel test). Run with
 * `npx tsx scripts/make-xlsx-fixture.ts`.
 *
 * The workbook is built from its OOXML parts with fflate (fixed timestamps, so the bytes are the
 * same on every run); nothing here shares code with the reader under test (read-excel-file).
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { strToU8, zipSync } from "fflate";

const fixturesDir = fileURLToPath(new URL("../test/fixtures/", import.meta.url));

/** One customer row; null is an empty cell. */
interface Row {
  id: number;
  name: string;
  signup: string;
  spend: number | null;
  vip: boolean;
  region: string | null;
}

const REGIONS = ["North", "South", "East", "West"];
const NAMES = ["Ann", "Bo", "Cy", "Di", "Ed", "Flo", "Gus", "Hal", "Ivy", "Jo"];

/** 30 deterministic rows: integer ids, text, dates, decimals with gaps, booleans, text with gaps. */
const rows: Row[] = Array.from({ length: 30 }, (_, i) => {
  const day = new Date(Date.UTC(2024, 0, 1) + ((i * 37) % 300) * 86_400_000);
  return {
    id: i + 1,
    name: `${NAMES[i % NAMES.length]} ${String.fromCharCode(65 + ((i * 7) % 26))}.`,
    signup: day.toISOString().slice(0, 10),
    spend: i % 7 === 3 ? null : Math.round(((i * 53) % 97) * 12.5 + (i % 4) * 0.25 * 100) / 100,
    vip: i % 3 === 0,
    region: i % 11 === 5 ? null : REGIONS[(i * i) % REGIONS.length]!,
  };
});

const HEADER = ["id", "name", "signup", "spend", "vip", "region"] as const;

const escapeXml = (text: string) =>
  text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");

/** Excel's serial day number: days since 1899-12-30. */
const serial = (isoDate: string) => (Date.parse(`${isoDate}T00:00:00Z`) - Date.UTC(1899, 11, 30)) / 86_400_000;

const strings: string[] = [];
function stringIndex(text: string): number {
  let index = strings.indexOf(text);
  if (index < 0) index = strings.push(text) - 1;
  return index;
}

const columnLetter = (c: number) => String.fromCharCode(65 + c);

function cellXml(ref: string, value: string | number | boolean | null, date = false): string {
  if (value === null) return "";
  if (typeof value === "boolean") return `<c r="${ref}" t="b"><v>${value ? 1 : 0}</v></c>`;
  if (typeof value === "number") return `<c r="${ref}"><v>${value}</v></c>`;
  // Dates are numbers styled with a date format (style 1 = numFmtId 14, m/d/yyyy).
  if (date) return `<c r="${ref}" s="1"><v>${serial(value)}</v></c>`;
  return `<c r="${ref}" t="s"><v>${stringIndex(value)}</v></c>`;
}

function sheetXml(table: (string | number | boolean | null)[][], dateColumns: Set<number>): string {
  const body = table
    .map((cells, r) => {
      const inner = cells.map((v, c) => cellXml(`${columnLetter(c)}${r + 1}`, v, r > 0 && dateColumns.has(c))).join("");
      return `<row r="${r + 1}">${inner}</row>`;
    })
    .join("");
  return (
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n` +
    `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${body}</sheetData></worksheet>`
  );
}

const customers = sheetXml(
  [[...HEADER], ...rows.map((r) => [r.id, r.name, r.signup, r.spend, r.vip, r.region])],
  new Set([2]),
);
const notes = sheetXml(
  [
    ["topic", "count"],
    ["returns", 4],
    ["complaints", 2],
  ],
  new Set(),
);

const sharedStrings =
  `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n` +
  `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="${strings.length}" uniqueCount="${strings.length}">` +
  strings.map((s) => `<si><t>${escapeXml(s)}</t></si>`).join("") +
  `</sst>`;

const NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships";
const XML = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n`;

const parts: Record<string, string> = {
  "[Content_Types].xml":
    XML +
    `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
    `<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
    `<Default Extension="xml" ContentType="application/xml"/>` +
    `<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
    `<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>` +
    `<Override PartName="/xl/worksheets/sheet2.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>` +
    `<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>` +
    `<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>` +
    `</Types>`,
  "_rels/.rels":
    XML +
    `<Relationships xmlns="${PKG_REL}"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
  "xl/workbook.xml":
    XML +
    `<workbook xmlns="${NS}" xmlns:r="${REL}"><sheets>` +
    `<sheet name="customers" sheetId="1" r:id="rId1"/><sheet name="notes" sheetId="2" r:id="rId2"/>` +
    `</sheets></workbook>`,
  "xl/_rels/workbook.xml.rels":
    XML +
    `<Relationships xmlns="${PKG_REL}">` +
    `<Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/>` +
    `<Relationship Id="rId2" Type="${REL}/worksheet" Target="worksheets/sheet2.xml"/>` +
    `<Relationship Id="rId3" Type="${REL}/styles" Target="styles.xml"/>` +
    `<Relationship Id="rId4" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/>` +
    `</Relationships>`,
  "xl/styles.xml":
    XML +
    `<styleSheet xmlns="${NS}"><fonts count="1"><font/></fonts><fills count="1"><fill/></fills>` +
    `<borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs>` +
    `<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs></styleSheet>`,
  "xl/worksheets/sheet1.xml": customers,
  "xl/worksheets/sheet2.xml": notes,
  "xl/sharedStrings.xml": sharedStrings,
};

const mtime = new Date("2024-01-01T00:00:00Z");
const zip = zipSync(
  Object.fromEntries(Object.entries(parts).map(([name, text]) => [name, [strToU8(text), { mtime }]])),
  { level: 6 },
);
writeFileSync(`${fixturesDir}customers.xlsx`, zip);

const csvValue = (v: string | number | boolean | null) =>
  v === null ? "" : typeof v === "string" && /[",\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : String(v);
const csv = [
  HEADER.join(","),
  ...rows.map((r) => [r.id, r.name, r.signup, r.spend, r.vip, r.region].map(csvValue).join(",")),
];
writeFileSync(`${fixturesDir}customers-xlsx.csv`, `${csv.join("\n")}\n`);
console.log(`wrote customers.xlsx (${zip.length} bytes) and customers-xlsx.csv (${rows.length} rows)`);
