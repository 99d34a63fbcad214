/**
 * Fetching a file over HTTP(S) for loadFile, with errors that name the URL.
 */

/**
 * Fetches `url` (already absolute) and returns its bytes. `shownAs` is the URL as the user wrote it,
 * for messages. Fails when the server answers with an error status, or with an HTML page for a file
 * that is not HTML (what a dev server's fallback page returns for a missing file).
 */
export async function fetchBytes(url: URL, shownAs: string): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new Error(`loadFile: could not fetch "${shownAs}" (${url.href}): ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (!response.ok) {
    throw new Error(
      `loadFile: could not fetch "${shownAs}" (${url.href}): HTTP ${response.status} ${response.statusText}`.trim() +
        "; check that the file exists at that URL",
    );
  }
  const contentType = response.headers.get("content-type") ?? "";
  if (contentType.includes("text/html") && !/\.html?$/i.test(url.pathname)) {
    throw new Error(
      `loadFile: "${shownAs}" (${url.href}) answered with an HTML page instead of the file; ` +
        "the file is probably missing (a server's fallback page was returned)",
    );
  }
  return new Uint8Array(await response.arrayBuffer());
}
