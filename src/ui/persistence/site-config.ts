/**
 * The site's own settings that whoever hosts it may change without rebuilding: a small JSON file next
 * to index.html ({@link SITE_CONFIG_FILE}). Today it names the folders whose notebooks run as soon as
 * they open (the notebook base): only files there are the site's own. On a shared intranet host any
 * other path of the same origin may hold another team's files, so "same origin" is not enough.
 *
 * ```json
 * { "notebookBase": ["notebooks/", "team-notebooks/"] }
 * ```
 *
 * Paths are relative to the site (where index.html is); absolute same-origin paths work too. A
 * missing or unreadable file leaves the default ({@link DEFAULT_NOTEBOOK_BASE}): fail closed, never open.
 */

/** The settings file, relative to the site's base. */
export const SITE_CONFIG_FILE = "segbook-site.json";

/** The notebook base when the settings name none: the shipped notebooks' folder. */
export const DEFAULT_NOTEBOOK_BASE = "notebooks/";

/** The parsed settings. */
export interface SiteConfig {
  /** Absolute URLs of the folders (ending in "/") whose notebooks run without asking. */
  notebookBases: string[];
  /** What was wrong with the file, said to the user's console (the defaults apply then). */
  problem?: string;
}

/**
 * Reads the settings file's JSON against the site's base URI. Unknown keys are ignored; a base that
 * is not a folder of the site's own origin is dropped with a problem named (an "https://other/" base
 * would trust another site's files).
 *
 * @example
 * parseSiteConfig('{"notebookBase": "shared/"}', "https://intra.example/segbook/")
 * // { notebookBases: ["https://intra.example/segbook/shared/"] }
 */
export function parseSiteConfig(json: string, baseURI: string): SiteConfig {
  const fallback = (problem: string): SiteConfig => ({ notebookBases: defaultBases(baseURI), problem });
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    return fallback(`${SITE_CONFIG_FILE} is not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (!value || typeof value !== "object" || Array.isArray(value))
    return fallback(`${SITE_CONFIG_FILE} is not an object`);
  const raw = (value as { notebookBase?: unknown }).notebookBase;
  if (raw === undefined) return { notebookBases: defaultBases(baseURI) };
  const list = typeof raw === "string" ? [raw] : Array.isArray(raw) ? raw : undefined;
  if (!list || !list.every((b): b is string => typeof b === "string")) {
    return fallback(`${SITE_CONFIG_FILE}: notebookBase must be a folder path or a list of them, like "notebooks/"`);
  }
  const site = new URL(baseURI).origin;
  const bases: string[] = [];
  const rejected: string[] = [];
  for (const entry of list) {
    const url = new URL(entry.endsWith("/") ? entry : `${entry}/`, baseURI);
    if (url.origin !== site) rejected.push(entry);
    else bases.push(`${url.origin}${url.pathname}`);
  }
  const problem = rejected.length
    ? `${SITE_CONFIG_FILE}: notebookBase ${rejected.map((r) => JSON.stringify(r)).join(", ")} is not on this site (${site}); ignored`
    : undefined;
  return { notebookBases: bases, ...(problem && { problem }) };
}

function defaultBases(baseURI: string): string[] {
  return [new URL(DEFAULT_NOTEBOOK_BASE, baseURI).href];
}

/**
 * Fetches and parses the settings file beside the page (no HTTP cache: IT's edit counts at the next
 * load). Never rejects: a missing file or a network error gives the defaults.
 *
 * @example
 * const { notebookBases } = await loadSiteConfig(document.baseURI);
 */
export async function loadSiteConfig(baseURI: string): Promise<SiteConfig> {
  try {
    const response = await fetch(new URL(SITE_CONFIG_FILE, baseURI), { cache: "no-cache" });
    if (!response.ok)
      return { notebookBases: defaultBases(baseURI), problem: `${SITE_CONFIG_FILE}: HTTP ${response.status}` };
    return parseSiteConfig(await response.text(), baseURI);
  } catch (error) {
    return {
      notebookBases: defaultBases(baseURI),
      problem: `${SITE_CONFIG_FILE}: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}

/**
 * Whether `url` is a file under one of `bases` (absolute folder URLs). Compared after URL parsing, so
 * `notebooks/../secret/x.md` and `%2e%2e` segments are judged where they really point; query and
 * fragment do not matter.
 *
 * @example
 * isUnderNotebookBase("https://a.org/s/notebooks/x.md?v=2", ["https://a.org/s/notebooks/"]) // true
 * isUnderNotebookBase("https://a.org/s/uploads/x.md", ["https://a.org/s/notebooks/"]) // false
 */
export function isUnderNotebookBase(url: string, bases: readonly string[]): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return false;
  const plain = `${parsed.origin}${parsed.pathname}`;
  return bases.some((base) => {
    const b = new URL(base);
    const prefix = `${b.origin}${b.pathname}`;
    return plain.startsWith(prefix) && plain.length > prefix.length;
  });
}
