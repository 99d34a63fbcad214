/**
 * Scroll math of the virtualized grid. The grid is `numRows x rowHeight` pixels tall in "virtual"
 * pixels; the scrolled element can only be so tall (Chromium stops at about 33.5M px, Firefox at about
 * 17.9M), so past {@link MAX_SCROLL_HEIGHT} the physical scroll range is a scaled-down copy of the
 * virtual one: scrolling to the physical end shows the virtual end, and in between positions map
 * linearly. One physical pixel may then be several virtual ones, which is why keyboard scrolling keeps
 * the exact virtual position itself instead of reading it back from `scrollTop`.
 */

/** Tallest scroll content the grid makes, well below every browser's limit. */
export const MAX_SCROLL_HEIGHT = 8_000_000;

/** The sizes one scroll position depends on. */
export interface ScrollGeometry {
  rowHeight: number;
  numRows: number;
  /** Height of the rows' viewport (without the header). */
  viewportHeight: number;
  /** `numRows x rowHeight`. */
  virtualHeight: number;
  /** Height of the scrolled content: the virtual height, capped. */
  physicalHeight: number;
  /** Virtual pixels per physical pixel of scrolling (1 unless capped). */
  ratio: number;
}

/** The geometry of a grid (viewport height excludes the header). */
export function scrollGeometry(
  numRows: number,
  rowHeight: number,
  viewportHeight: number,
  maxHeight = MAX_SCROLL_HEIGHT,
): ScrollGeometry {
  const virtualHeight = numRows * rowHeight;
  const physicalHeight = Math.min(virtualHeight, maxHeight);
  const physicalRange = physicalHeight - viewportHeight;
  const virtualRange = virtualHeight - viewportHeight;
  const ratio = physicalRange > 0 && virtualRange > physicalRange ? virtualRange / physicalRange : 1;
  return { rowHeight, numRows, viewportHeight, virtualHeight, physicalHeight, ratio };
}

/** The largest virtual scroll position: the last row's bottom at the viewport's bottom. */
export function maxVirtualTop(g: ScrollGeometry): number {
  return Math.max(0, g.virtualHeight - g.viewportHeight);
}

/** Clamps a virtual position into range. */
export function clampVirtualTop(g: ScrollGeometry, virtualTop: number): number {
  return Math.min(Math.max(0, virtualTop), maxVirtualTop(g));
}

/** The virtual position shown at physical `scrollTop`. */
export function virtualTopOf(g: ScrollGeometry, scrollTop: number): number {
  return clampVirtualTop(g, scrollTop * g.ratio);
}

/** The physical `scrollTop` that shows virtual position `virtualTop`. */
export function scrollTopOf(g: ScrollGeometry, virtualTop: number): number {
  return clampVirtualTop(g, virtualTop) / g.ratio;
}

/** Rows to draw for a virtual position. */
export interface VisibleRows {
  /** First row drawn (index into the result). */
  first: number;
  /** One past the last row drawn. */
  end: number;
  /** Where the first drawn row's top is, relative to the viewport's top (0 or negative). */
  offset: number;
}

/** Rows the viewport shows at `virtualTop`, with `overscan` extra rows on each side. */
export function visibleRows(g: ScrollGeometry, virtualTop: number, overscan = 5): VisibleRows {
  if (g.numRows === 0 || g.rowHeight <= 0) return { first: 0, end: 0, offset: 0 };
  const top = clampVirtualTop(g, virtualTop);
  const firstVisible = Math.floor(top / g.rowHeight);
  const lastVisible = Math.ceil((top + Math.max(g.viewportHeight, 0)) / g.rowHeight);
  const first = Math.max(0, firstVisible - overscan);
  const end = Math.min(g.numRows, lastVisible + overscan);
  return { first, end, offset: first * g.rowHeight - top };
}

/** Keys that scroll the grid. */
export type ScrollKey = "ArrowDown" | "ArrowUp" | "PageDown" | "PageUp" | "Home" | "End";

/** The virtual position after pressing `key` at `virtualTop`, or undefined for a key that does not scroll. */
export function scrollByKey(g: ScrollGeometry, virtualTop: number, key: string): number | undefined {
  const page = Math.max(g.rowHeight, g.viewportHeight - g.rowHeight);
  const moves: Record<string, number> = {
    ArrowDown: virtualTop + g.rowHeight,
    ArrowUp: virtualTop - g.rowHeight,
    PageDown: virtualTop + page,
    PageUp: virtualTop - page,
    Home: 0,
    End: maxVirtualTop(g),
  };
  return key in moves ? clampVirtualTop(g, moves[key]!) : undefined;
}
