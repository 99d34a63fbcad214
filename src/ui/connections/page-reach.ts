/** Which warehouse URLs the page may call (see the Content-Security-Policy in index.html). */

/**
 * Whether the page may call `url`: https anywhere, plain http on loopback only (what the page's
 * Content-Security-Policy `connect-src` allows).
 * @example reachableFromPage("http://10.0.0.5:8123") // false
 */
export function reachableFromPage(url: string): boolean {
  try {
    const { protocol, hostname } = new URL(url);
    return protocol === "https:" || (protocol === "http:" && ["127.0.0.1", "localhost", "[::1]"].includes(hostname));
  } catch {
    return false;
  }
}
