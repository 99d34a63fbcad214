/**
 * The libraries cells see when a notebook runs in Node. Plot needs a DOM to draw into; in Node it
 * gets linkedom's document, so the same cells produce the same SVG as in the browser.
 */
import * as aq from "arquero";
import * as Plot from "@observablehq/plot";
import { parseHTML } from "linkedom";
import { nodeInputs } from "./node-inputs.ts";

/** A document for code that draws (Plot) when there is no browser. */
export function createNodeDocument(): Document {
  return parseHTML("<!doctype html><html><head></head><body></body></html>").document as unknown as Document;
}

/** `aq`, `Plot` (drawing into `document`), `Inputs` (headless, see node-inputs.ts) and `document` itself. */
export function nodeLibraries(document: Document = createNodeDocument()): Record<string, unknown> {
  const withDocument = <T extends (options?: never) => unknown>(fn: T) =>
    ((options: object = {}) => fn({ document, ...options } as never)) as unknown as T;
  const NodePlot = { ...Plot, plot: withDocument(Plot.plot), legend: withDocument(Plot.legend) };
  return { aq, Plot: NodePlot, Inputs: nodeInputs(), document };
}
