import { generateCellTypes } from "../src/ui/build/cell-types.ts";
import { typeCheckNotebook } from "../src/ui/build/notebook-type-check.ts";
import fs from "node:fs";
const { text } = generateCellTypes("/work/wt-types");
for (const f of fs.readdirSync("notebooks").filter((f) => f.endsWith(".md"))) {
  const t0 = performance.now();
  const errors = typeCheckNotebook(fs.readFileSync(`notebooks/${f}`, "utf8"), text);
  console.log(f, Math.round(performance.now() - t0), "ms");
  for (const e of errors) console.log(`  notebooks/${f}:${e.line}:${e.column} cell ${e.cell} TS${e.code}: ${e.message.split("\n")[0]}`);
}
