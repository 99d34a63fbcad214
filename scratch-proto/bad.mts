import { generateCellTypes } from "../src/ui/build/cell-types.ts";
import { typeCheckNotebook } from "../src/ui/build/notebook-type-check.ts";
import fs from "node:fs";
const { text } = generateCellTypes("/work/wt-types");
console.log(typeCheckNotebook(fs.readFileSync(process.argv[2], "utf8"), text));
