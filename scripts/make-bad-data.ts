/**
 * Writes the large cases of the bad-data corpus (test/fixtures/bad-data/ holds the small ones) into a
 * directory, deterministically, so they are generated at test time instead of committed.
 * Run with `npx tsx scripts/make-bad-data.ts DIR` (test/engine/bad-data.test.ts calls makeBadData).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** Rows past DuckDB's 20,480-row sniffing sample, so problems there are only met while reading. */
const PAST_SAMPLE = 25_000;

function rows(count: number, row: (i: number) => string): string {
  const lines: string[] = [];
  for (let i = 1; i <= count; i++) lines.push(row(i));
  return lines.join("\n") + "\n";
}

/** File name -> contents of every generated case. */
export function badDataFiles(): Record<string, string> {
  return {
    // One 5 MB line (a field over DuckDB's 2 MB max_line_size default) between ordinary lines.
    "huge-line.csv": `id,payload\n1,short\n2,${"x".repeat(5 * 1024 * 1024)}\n3,short\n`,
    // A number column whose first text value comes after the sniffer's sample.
    "late-text-value.csv":
      "customer_id,amount\n" + rows(PAST_SAMPLE, (i) => `${i},${i === 24_000 ? "n/a" : (i % 97) + 0.5}`),
    // A row with too many fields after the sample.
    "late-extra-field.csv":
      "id,name,amount\n" + rows(PAST_SAMPLE, (i) => `${i},n${i},${i % 10}${i === 23_000 ? ",x" : ""}`),
  };
}

/** Writes the generated cases into `dir` (created if missing) and returns it. */
export function makeBadData(dir: string): string {
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(badDataFiles())) writeFileSync(path.join(dir, name), text);
  return dir;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = process.argv[2];
  if (!dir) {
    console.error("usage: npx tsx scripts/make-bad-data.ts DIR");
    process.exit(2);
  }
  console.log(`wrote the generated bad-data cases to ${makeBadData(dir)}`);
}
