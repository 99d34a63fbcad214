/**
 * Share links: the whole notebook text, deflated with fflate and base64url-encoded, in the URL
 * fragment (`#nb=…`). The fragment never reaches a server, so sharing needs no backend and the
 * notebook is not logged anywhere. Data files are never put in the link: the notebook's front matter
 * names them by path, and `from` (the notebook's own address) lets the receiver resolve those paths.
 */
import { Inflate, deflateSync, strFromU8, strToU8 } from "fflate";

/** What a share link carries. */
export interface SharedNotebook {
  /** The notebook file, byte for byte. */
  text: string;
  /** Where the notebook was opened from, relative to the site's base (data paths resolve against it). */
  from?: string;
}

/**
 * The most notebook text a share link may unpack to (bytes): far above any real notebook, small
 * enough that a link crafted to inflate to gigabytes (deflate packs 1000:1) cannot exhaust the tab.
 */
export const MAX_SHARED_BYTES = 4 * 1024 * 1024;

/** Compressed bytes fed to the inflater at a time: each step unpacks to at most about 1 MB. */
const INFLATE_STEP = 1024;

/** Thrown by {@link inflateBounded} when the text would be bigger than allowed. */
class TooLargeError extends Error {}

/**
 * Inflates `packed`, stopping as soon as the output passes `limit` bytes (then throws), so the
 * output is never held beyond the limit plus one step.
 * @example
 * inflateBounded(deflateSync(strToU8("hi")), 10); // Uint8Array [104, 105]
 */
export function inflateBounded(packed: Uint8Array, limit: number): Uint8Array {
  const chunks: Uint8Array[] = [];
  let size = 0;
  const inflater = new Inflate((chunk) => {
    size += chunk.length;
    if (size > limit) throw new TooLargeError();
    chunks.push(chunk);
  });
  for (let i = 0; i < packed.length; i += INFLATE_STEP) {
    inflater.push(packed.subarray(i, i + INFLATE_STEP), i + INFLATE_STEP >= packed.length);
  }
  if (packed.length === 0) inflater.push(packed, true);
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

const megabytes = (bytes: number) => `${Math.round(bytes / (1024 * 1024))} MB`;

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
 * notebook, an Error saying what is wrong when it holds a damaged one or one that unpacks to more
 * than {@link MAX_SHARED_BYTES}.
 */
export function readShareFragment(hash: string): SharedNotebook | Error | undefined {
  const params = new URLSearchParams(hash.replace(/^#/, ""));
  const packed = params.get(SHARE_KEY);
  if (packed === null) return undefined;
  let text: string;
  try {
    text = strFromU8(inflateBounded(fromBase64Url(packed), MAX_SHARED_BYTES));
  } catch (error) {
    if (error instanceof TooLargeError) {
      return new Error(
        `This share link unpacks to more than ${megabytes(MAX_SHARED_BYTES)} of notebook text, more than a share link may carry, so it was not opened. Ask for the .md file instead.`,
      );
    }
    const reason = error instanceof Error ? error.message : String(error);
    return new Error(
      `This share link is damaged (${reason}): it was probably cut off when copied. Ask for the link again, or for the .md file.`,
    );
  }
  const from = params.get(FROM_KEY);
  return from ? { text, from } : { text };
}
