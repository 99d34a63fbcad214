/**
 * The app's version for export manifests, read from package.json beside the sources (the CLI runs
 * from them through tsx, so the file is always there).
 */
import { readFileSync } from "node:fs";

/**
 * The `version` of Segbook's package.json, e.g. "0.1.0"; null if it cannot be read.
 * @example new Session({engine, appVersion: appVersion() ?? undefined})
 */
export function appVersion(): string | null {
  try {
    const json = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
      version?: unknown;
    };
    return typeof json.version === "string" ? json.version : null;
  } catch {
    return null;
  }
}
