/**
 * The origins a notebook names for its data: the `data:` sources' URLs and the `connections:` of
 * remote warehouses (read loosely: any entry with a `url`). The page lets requests go only to these
 * and to the site itself (see page-policy.ts).
 */
import type { FrontMatter } from "../notebook/index.ts";

/**
 * The http(s) origins of the notebook's data sources (paths resolve against `notebookUrl`, so
 * relative paths give the notebook's own origin) and connections, without duplicates, sorted.
 * Anything unparsable or not http(s) is left out (it could not be fetched anyway).
 *
 * @example
 * notebookOrigins({ data: { a: { path: "https://data.example/a.csv" } } }, "https://site.example/notebooks/x.md")
 * // ["https://data.example"]
 */
export function notebookOrigins(frontMatter: FrontMatter, notebookUrl: string): string[] {
  const addresses: unknown[] = Object.values(frontMatter.data ?? {}).map((source) => source?.path);
  // Read loosely (any entry with a `url`): the page narrows what it may reach even for an entry the
  // front matter reader refused.
  for (const connection of Object.values((frontMatter.connections ?? {}) as Record<string, unknown>)) {
    if (connection && typeof connection === "object") addresses.push((connection as { url?: unknown }).url);
  }
  const origins = new Set<string>();
  for (const address of addresses) {
    if (typeof address !== "string" || address.trim() === "") continue;
    try {
      const url = new URL(address.trim(), notebookUrl);
      if (url.protocol === "http:" || url.protocol === "https:") origins.add(url.origin);
    } catch {
      // Not an address: the data panel reports it when it loads.
    }
  }
  return [...origins].sort();
}
