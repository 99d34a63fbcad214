import { generateCellTypes } from "../src/ui/build/cell-types.ts";
import fs from "node:fs";
const t0 = performance.now();
const r = generateCellTypes("/work/wt-types");
console.log(performance.now() - t0, r.cached, r.inputs.length, r.text.length);
fs.writeFileSync("/tmp/types-proto/cell-types.d.ts", r.text);
