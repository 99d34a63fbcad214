/**
 * A notebook text's identity by content: trust is remembered per exact text, and share links are
 * keyed by what they carry.
 */

/** SHA-256 of the UTF-8 text, as 64 lowercase hex digits (Web Crypto: browser and Node alike). */
export async function contentHash(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}
