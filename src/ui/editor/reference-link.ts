/**
 * Links from the editor to the reference generated from the source (built into `reference/` beside
 * the workbench's index.html): hovering `seg.kmeans` in a TS cell offers its reference page.
 */
import type { Seg } from "../../seg/namespace.ts";

/** Where the reference sits in the site, relative to the workbench page (src/ui/build/reference.ts). */
const REFERENCE_DIR = "reference";

/**
 * Every function of `seg` with a reference page. Type-checked against the namespace both ways (a
 * function added to or removed from `seg` without this list is a compile error), so the editor never
 * links a page that does not exist nor misses one.
 */
const SEG_FUNCTIONS = {
  rfm: true,
  tiers: true,
  segments: true,
  overlap: true,
  featureMatrix: true,
  explain: true,
  stability: true,
  migration: true,
  compareLabels: true,
  scorecard: true,
  kmeans: true,
  chooseK: true,
  gmm: true,
  kprototypes: true,
  assign: true,
  restoreModel: true,
  profile: true,
  export: true,
  pca: true,
  abtest: true,
  clv: true,
  silhouetteScore: true,
  calinskiHarabasz: true,
  daviesBouldin: true,
  adjustedRandIndex: true,
  sampleSize: true,
} as const satisfies Record<Exclude<keyof Seg, "charts" | "seed">, true>;

/** The chart functions of `seg.charts`, checked the same way. */
const SEG_CHARTS = {
  rfmGrid: true,
  profileHeatmap: true,
  segmentSizes: true,
  clusterScatter: true,
  migration: true,
} as const satisfies Record<keyof Seg["charts"], true>;

/** The names with a reference page, as written after `seg.` ("kmeans", "charts.rfmGrid"). */
export const SEG_REFERENCE_NAMES: readonly string[] = [
  ...Object.keys(SEG_FUNCTIONS),
  ...Object.keys(SEG_CHARTS).map((name) => `charts.${name}`),
];

const KNOWN = new Set(SEG_REFERENCE_NAMES);

/** A `seg` function named in a line of code, with the 1-based columns of its name (end exclusive). */
export interface SegCallSite {
  /** As written after `seg.`: "kmeans", "charts.rfmGrid". */
  name: string;
  startColumn: number;
  endColumn: number;
}

/**
 * The `seg` function whose name is under 1-based `column` in `line`, if it has a reference page.
 * `seg` itself must be a plain identifier (not `x.seg`), as cells see it.
 * @example
 * segFunctionAt("const km = await seg.kmeans(customers, {k: 4});", 23); // {name: "kmeans", startColumn: 22, endColumn: 28}
 */
export function segFunctionAt(line: string, column: number): SegCallSite | null {
  for (const match of line.matchAll(/(?<![\w$.])seg\s*\.\s*(?:(charts)\s*\.\s*)?([A-Za-z_$][\w$]*)/g)) {
    const member = match[2]!;
    const name = match[1] ? `charts.${member}` : member;
    const endColumn = match.index + match[0].length + 1;
    const startColumn = endColumn - member.length;
    if (column >= startColumn && column < endColumn && KNOWN.has(name)) return { name, startColumn, endColumn };
  }
  return null;
}

/**
 * The address of `seg.<name>`'s reference page, resolved against the workbench page's address
 * (`base`, the document's base URI), so it works under any sub-path.
 * @example
 * referenceUrl("kmeans", "https://example.com/tools/segbook/?notebook=a.md"); // "https://example.com/tools/segbook/reference/functions/seg.kmeans.html"
 */
export function referenceUrl(name: string, base: string): string {
  return new URL(`${REFERENCE_DIR}/functions/seg.${name}.html`, base).href;
}

/**
 * The hover text for `seg.<name>`: a Markdown link to its reference page.
 * @example
 * referenceHoverMarkdown("kmeans", document.baseURI); // "[`seg.kmeans` in the reference](https://…/reference/functions/seg.kmeans.html)"
 */
export function referenceHoverMarkdown(name: string, base: string): string {
  return `[\`seg.${name}\` in the reference](${referenceUrl(name, base)})`;
}
