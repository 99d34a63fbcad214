/** Scrolling the page to a cell, below the sticky header. */

/** Scrolls the cell with `id` into view; returns false when it is not on the page. */
export function scrollToCell(id: string): boolean {
  const element = document.querySelector<HTMLElement>(`[data-cell-id="${CSS.escape(id)}"]`);
  if (!element) return false;
  // scroll-margin-top on the cells keeps the cell clear of the sticky header. Wait a frame: a selected
  // cell takes the focus on the next frame (CellView), and a focus after the smooth scroll began would
  // cut it short; callers select first, so this frame callback runs after that focus.
  requestAnimationFrame(() => element.scrollIntoView({ block: "start", behavior: "smooth" }));
  return true;
}
