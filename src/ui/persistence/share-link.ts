/**
 * Share links: the whole notebook text, deflated with fflate and base64url-encoded, in the URL
 * fragment (`#nb=…`). The fragment never reaches a server, so sharing needs no backend and the
 * notebook is not logged anywhere. Data files are never put in the link: the notebook's front matter
 * names them by path, and `from` (the notebook's own address) lets the receiver resolve those paths.
 */
import { deflateSync, inflateSync, strFromU8, strToU8 } from "fflate";

/** What a share link carries. */
export interface SharedNotebook {
  /** The notebook file, byte for byte. */
  text: string;
  /** Where the notebook was opened from, relative to the site's base (data paths resolve against it). */
  from?: string;
}

/** The fragment key holding the compressed notebook. */
export const SHARE_KEY = "nb";
const FROM_KEY = "from";

/** Bytes as base64url without padding (RFC 4648 §5), safe in a URL fragment as is. */
export function toBase64Url(bytes: Uint8Array): string {
  let binary = "";
  // Chunked: String.fromCharCode with a huge argument list overflows the stack.
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** The inverse of {@link toBase64Url}; throws on characters outside the base64url alphabet. */
export function fromBase64Url(text: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error("not base64url text");
  const base64 = text.replace(/-/g, "+").replace(/_/g, "/");
  const binary = atob(base64 + "=".repeat((4 - (base64.length % 4)) % 4));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * The URL fragment (without `#`) that carries `shared`.
 * @example
 * location.hash = shareFragment({ text: serialize(notebook), from: "notebooks/welcome.md" });
 */
export function shareFragment(shared: SharedNotebook): string {
  const params = new URLSearchParams();
  params.set(SHARE_KEY, toBase64Url(deflateSync(strToU8(shared.text), { level: 9 })));
  if (shared.from) params.set(FROM_KEY, shared.from);
  return params.toString();
}

/** A page URL (`pageUrl` without its query and fragment) that opens `shared`. */
export function shareUrl(pageUrl: string, shared: SharedNotebook): string {
  const url = new URL(pageUrl);
  url.search = "";
  url.hash = shareFragment(shared);
  return url.href;
}

/**
 * Reads a share link's fragment (`location.hash`, with or without `#`): undefined when it holds no
 * notebook, an Error saying what is wrong when it holds a damaged one.
 */
export function readShareFragment(hash: string): SharedNotebook | Error | undefined {
  const params = new URLSearchParams(hash.replace(/^#/, ""));
  const packed = params.get(SHARE_KEY);
  if (packed === null) return undefined;
  let text: string;
  try {
    text = strFromU8(inflateSync(fromBase64Url(packed)));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return new Error(
      `This share link is damaged (${reason}): it was probably cut off when copied. Ask for the link again, or for the .md file.`,
    );
  }
  const from = params.get(FROM_KEY);
  return from ? { text, from } : { text };
}
