/**
 * Seeded randomness shared by the runtime, `seg` and the demo data (see seeded.ts). This folder
 * imports nothing, so every layer may use it.
 */
export { hashString, mulberry32 } from "./seeded.ts";
