/**
 * What a renderer knows besides the value it renders. Deliberately narrow and plain so that renderers
 * can run on either side of a frame boundary (see rich-output.ts).
 */

/** The context of one rendering. */
export interface RenderContext {
  /** The document to create elements in (the page's, or a frame's). */
  document: Document;
  /**
   * The user's name for an engine table (e.g. `rfm` for `__segbook_t11` when a cell wrote
   * `const rfm = await seg.rfm(…)`), or undefined when no name is known.
   */
  tableLabel?: (engineName: string) => string | undefined;
  /**
   * Columns shown masked in tables (the notebook's `privacy.personal`), in the report view; absent
   * in the notebook view, where the analyst sees their own data.
   */
  personal?: readonly string[];
}

/**
 * A context whose table names come from `labels` (engine name -> user's name), e.g. a cell state's
 * `tableLabels`, and whose tables mask the `personal` columns.
 * @example renderValue(element, value, renderContext(document, {__segbook_t3: "rfm"}, ["email"]));
 */
export function renderContext(
  doc: Document,
  labels?: Readonly<Record<string, string>>,
  personal?: readonly string[],
): RenderContext {
  return { document: doc, tableLabel: (name) => labels?.[name], ...(personal?.length && { personal }) };
}
