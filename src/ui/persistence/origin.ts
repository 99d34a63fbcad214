/**
 * Where the open notebook came from. It decides the notebook's identity (what its autosaves and
 * recent-list entry are keyed by), where its data paths resolve, and whether it may run before the
 * user says so.
 */
import { isUnderNotebookBase } from "./site-config.ts";

/** The origin of an open notebook. */
export type NotebookOrigin =
  /** Fetched from an address (`?notebook=` or the default notebook). */
  | { kind: "url"; url: string }
  /** Unpacked from a share link's fragment; `url` is the sender's notebook address (data base). */
  | { kind: "share"; url: string }
  /** Read from a file on this computer (file picker, or upload where there is no File System Access). */
  | { kind: "file"; name: string; url: string }
  /**
   * Made here with File → New or "New notebook from this file" (`?new=<id>`): the user's own text,
   * kept in this browser's autosave under its id until saved to a file. `url` is the data base.
   */
  | { kind: "new"; id: string; url: string };

/**
 * The key a notebook's autosave and recent entry are stored under: its address, its file name, or,
 * for a share link, a hash of the shared text (two different links are two different notebooks).
 */
export function identityKey(origin: NotebookOrigin, sharedTextHash = ""): string {
  switch (origin.kind) {
    case "url":
      return `url:${origin.url}`;
    case "file":
      return `file:${origin.name}`;
    case "share":
      return `share:${sharedTextHash}`;
    case "new":
      return `new:${origin.id}`;
  }
}

/** `relative` resolved against `base`, as an absolute URL string. */
export function resolveUrl(relative: string, base: string): string {
  return new URL(relative, base).href;
}

/** A short human label: the path under the site's base, the file name, or "a share link". */
export function originLabel(origin: NotebookOrigin, baseURI: string): string {
  if (origin.kind === "file") return origin.name;
  if (origin.kind === "share") return "a share link";
  if (origin.kind === "new") return "new notebook (not saved to a file)";
  const base = new URL(".", baseURI).href;
  return origin.url.startsWith(base) ? origin.url.slice(base.length) : origin.url;
}

/**
 * Where the notebook came from as an export manifest records it: the path under the site's base (or
 * the address, without query or fragment, of a notebook elsewhere), `file <name>` for a file from this
 * computer, `share link of <path>` for a share link — never the link itself, which holds the whole
 * notebook — and `new notebook (not saved to a file)`.
 * @example provenanceLocation({kind: "share", url: "https://x.org/app/notebooks/rfm.md"}, "https://x.org/app/") // "share link of notebooks/rfm.md"
 */
export function provenanceLocation(origin: NotebookOrigin, baseURI: string): string {
  const address = (url: string) => {
    const parsed = new URL(url, baseURI);
    const plain = `${parsed.origin}${parsed.pathname}`;
    const base = new URL(".", baseURI).href;
    return plain.startsWith(base) ? plain.slice(base.length) : plain;
  };
  switch (origin.kind) {
    case "url":
      return address(origin.url);
    case "file":
      return `file ${origin.name}`;
    case "share":
      return `share link of ${address(origin.url)}`;
    case "new":
      return "new notebook (not saved to a file)";
  }
}

/**
 * Whether a notebook may run as soon as it opens, judged by origin alone:
 *
 * - an address under the site's notebook base (`notebooks/` unless the site's settings name other
 *   folders, see site-config.ts) is trusted: whoever can put a file there controls the site anyway.
 *   Other paths of the same origin are not: on a shared intranet host they may be anyone's files.
 *   Judge the address the notebook was finally read from (after redirects), not the one asked for;
 * - a new notebook (File → New, New from file) was made by the user in this page (its autosave is
 *   judged by its content instead, see Persistence);
 * - another origin, a share link or a file from disk is not: anyone can make those, so the notebook
 *   shows its code and waits for the user (unless its exact text was trusted before, see store.ts).
 *
 * @example
 * isTrustedOrigin({ kind: "url", url: "https://a.org/s/notebooks/rfm.md" }, "https://a.org/s/", ["https://a.org/s/notebooks/"]) // true
 */
export function isTrustedOrigin(origin: NotebookOrigin, baseURI: string, notebookBases: readonly string[]): boolean {
  // The user wrote it here (a blank page or a starter made from their own file).
  if (origin.kind === "new") return true;
  if (origin.kind !== "url") return false;
  return isUnderNotebookBase(new URL(origin.url, baseURI).href, notebookBases);
}
