/**
 * Why a script did not load, for an error message: a browser reports a worker script that failed to
 * load with an error event that says nothing (no status, no reason), so the page asks the server
 * again and reports what it answers.
 */

/**
 * A short reason `url` did not load as a script: the HTTP status when the server refuses it, the
 * network error when nothing answers, or the content type when it is served but did not run.
 *
 * @example
 * await describeLoadFailure("http://127.0.0.1:5173/missing.js"); // "the server answered HTTP 404 Not Found"
 */
export async function describeLoadFailure(url: URL | string, fetchImpl: typeof fetch = fetch): Promise<string> {
  let response: Response;
  try {
    response = await fetchImpl(url, { method: "HEAD", cache: "no-store" });
  } catch (error) {
    return `it could not be fetched (${error instanceof Error ? error.message : String(error)})`;
  }
  if (!response.ok) return `the server answered HTTP ${response.status} ${response.statusText}`.trim();
  const type = response.headers.get("content-type") ?? "no content type";
  return `the server answers HTTP ${response.status} (${type}), but the script did not run`;
}
