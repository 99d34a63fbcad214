/**
 * Narrows the page's Content-Security-Policy for the notebook it opens. The static policy in
 * index.html lets the page connect to the site and to any https: URL (a notebook may name data
 * anywhere). Once the first notebook is read, a second policy is added: `connect-src` the site,
 * blob:/data: and only the origins that notebook names (its data sources and connections). Both
 * policies apply, so a request must pass each: a cell's fetch, XHR, sendBeacon, EventSource or
 * WebSocket to any other origin is refused by the browser.
 *
 * Limits, by the way browsers treat policies: a policy once added can never be loosened or removed
 * in that page. So the narrowed set is the one of the first notebook the page opened; a notebook
 * opened later in the same tab (File → Open) or a data source added by hand that names a new origin
 * is refused until the page is loaded again (its address, or the file opened in a new tab). Navigation
 * (`location`, `window.open`), WebRTC and workers started from the site's own scripts are not
 * governed by `connect-src`: only the sandboxed iframe for cells closes those (issue #17, item 1).
 */

/** Marks the added policy's element (tests and the data panel find it by it). */
export const NARROWED_POLICY_ATTRIBUTE = "data-segbook-narrowed";

/** The `connect-src` sources every page keeps: the site, and blob:/data: URLs the app makes itself. */
const ALWAYS = ["'self'", "blob:", "data:"];

/**
 * The added policy's text for `origins` (each an origin like "https://data.example").
 *
 * @example
 * narrowedPolicy(["https://data.example"]) // "connect-src 'self' blob: data: https://data.example"
 */
export function narrowedPolicy(origins: readonly string[]): string {
  // An origin is a scheme, host and port: nothing in it can end the directive or add another.
  const safe = origins.filter((o) => /^https?:\/\/[a-z0-9.[\]:-]+$/i.test(o));
  return `connect-src ${[...ALWAYS, ...safe].join(" ")}`;
}

/**
 * Adds the narrowed policy for `origins` to the page, once: a later call (another notebook in the
 * same page) changes nothing and returns the origins that were allowed the first time.
 *
 * @example
 * narrowConnectSrc(notebookOrigins(notebook.frontMatter, url), document);
 */
export function narrowConnectSrc(origins: readonly string[], doc: Document = document): string[] {
  const existing = doc.head.querySelector(`meta[${NARROWED_POLICY_ATTRIBUTE}]`);
  if (existing) return (existing.getAttribute(NARROWED_POLICY_ATTRIBUTE) ?? "").split(" ").filter(Boolean);
  const meta = doc.createElement("meta");
  meta.httpEquiv = "Content-Security-Policy";
  meta.content = narrowedPolicy(origins);
  meta.setAttribute(NARROWED_POLICY_ATTRIBUTE, origins.join(" "));
  doc.head.append(meta);
  return [...origins];
}

/**
 * When the page's connections are narrowed and `url` is not among them, the origins that are
 * allowed besides the site (to say so to the user); undefined when `url` may be fetched.
 *
 * @example
 * const allowed = refusedConnection("https://new.example/a.csv");
 * if (allowed) showError(`This tab connects only to the site and ${allowed.join(", ")}`);
 */
export function refusedConnection(url: string, doc: Document = document): string[] | undefined {
  const meta = doc.head.querySelector(`meta[${NARROWED_POLICY_ATTRIBUTE}]`);
  if (!meta) return undefined;
  let origin: string;
  try {
    origin = new URL(url, doc.baseURI).origin;
  } catch {
    return undefined;
  }
  const allowed = (meta.getAttribute(NARROWED_POLICY_ATTRIBUTE) ?? "").split(" ").filter(Boolean);
  if (origin === new URL(doc.baseURI).origin || allowed.includes(origin)) return undefined;
  return allowed;
}
