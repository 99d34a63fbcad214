/** Deterministic demo data for the default notebook. */
export { generateDemoData, toCsv, type DemoCustomer, type DemoOrder } from "./demo-data.ts";
