/**
 * The app's version for export manifests and `segbook --version`, read from the repository's
 * package.json: two folders up from src/cli/ and, compiled, from build/cli/ (the build keeps that depth).
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
