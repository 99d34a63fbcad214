/**
 * Which notebook the page opens: `?notebook=<url>` (relative to the page) or the default one.
 */

/** The notebook opened when the page names none, relative to the site's base. */
export const DEFAULT_NOTEBOOK_URL = "notebooks/welcome.md";

/** The absolute URL of the notebook to open for a page at `location` with base `baseURI`. */
export function notebookUrl(search: string, baseURI: string): string {
  const requested = new URLSearchParams(search).get("notebook")?.trim();
  return new URL(requested || DEFAULT_NOTEBOOK_URL, baseURI).href;
}

/** A short label for a notebook URL: its path relative to the base when it is inside it. */
export function notebookLabel(url: string, baseURI: string): string {
  const base = new URL(".", baseURI).href;
  return url.startsWith(base) ? url.slice(base.length) : url;
}

/**
 * The id of the new notebook the address asks for (`?new=<id>`; "" for a bare `?new`), or undefined.
 * @example newNotebookId("?new=lq3x9a") // "lq3x9a"
 */
export function newNotebookId(search: string): string | undefined {
  const id = new URLSearchParams(search).get("new");
  return id === null ? undefined : id.trim();
}

/** The address (relative to the page) of new notebook `id`. @example newNotebookHref("lq3x9a") // "?new=lq3x9a" */
export function newNotebookHref(id: string): string {
  return `?new=${encodeURIComponent(id)}`;
}
