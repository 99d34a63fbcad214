/**
 * Writes the default notebook's data: `npx tsx scripts/generate-demo-data.ts`.
 * test/demo/demo-data.test.ts checks the committed files still equal this output.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { generateDemoData, toCsv } from "../src/demo/demo-data.ts";

const out = path.resolve(import.meta.dirname, "../notebooks/data");
mkdirSync(out, { recursive: true });
const { customers, orders } = generateDemoData();
writeFileSync(path.join(out, "customers.csv"), toCsv(customers));
writeFileSync(path.join(out, "orders.csv"), toCsv(orders));
console.log(`wrote ${customers.length} customers and ${orders.length} orders to ${out}`);
