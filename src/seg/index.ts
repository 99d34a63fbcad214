/**
 * The segmentation library: RFM, rule-based segments, clustering, metrics, profiles and exports.
 * In a cell it is `seg` (see namespace.ts); as a library each function takes a {@link SegContext}.
 */
export { requireColumns, resolveTable, type SegContext, type SegDb, type TableInput } from "./context.ts";
export { createSeg, type Seg } from "./namespace.ts";
