/**
 * Local files opened in place for the native engine: DuckDB reads them from disk itself, so they are
 * never copied through JS memory. Only the SHA-256 is computed here, streamed through Node's native
 * hash, and a lazily reading Blob serves the few bytes the text checks look at. Node-only.
 */
import { createHash } from "node:crypto";
import { createReadStream, openAsBlob } from "node:fs";
import { stat } from "node:fs/promises";
import type { LocalFile } from "./driver.ts";

/**
 * The error for a local file that cannot be read, naming it as the user wrote it (`shownAs`) and
 * where it was looked for, with the fix.
 * @example throw localFileError(error, "/data/orders.csv", "data/orders.csv");
 */
export function localFileError(error: unknown, absolute: string, shownAs: string): Error {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT") {
    return new Error(`loadFile: file not found: "${shownAs}" (looked for ${absolute}); check the path`, {
      cause: error,
    });
  }
  if (code === "EISDIR") {
    return new Error(`loadFile: "${shownAs}" is a directory (${absolute}); pass a file`, { cause: error });
  }
  return new Error(`loadFile: cannot read "${shownAs}" (${absolute}): ${(error as Error).message}`, { cause: error });
}

/** Hex SHA-256 of a file, streamed from disk in 1 MiB reads. */
function sha256File(absolute: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash("sha256");
    createReadStream(absolute, { highWaterMark: 1 << 20 })
      .on("data", (chunk) => hash.update(chunk))
      .on("error", reject)
      .on("end", () => resolve(hash.digest("hex")));
  });
}

/**
 * Opens the file at `absolute` in place: its Blob (read lazily) and SHA-256, with the messages
 * readPath gives for a missing file, a directory or a file that cannot be read.
 * @example const file = await openLocalFile("/data/orders.parquet", "orders.parquet"); file.sha256
 */
export async function openLocalFile(absolute: string, shownAs: string): Promise<LocalFile> {
  try {
    const info = await stat(absolute);
    if (info.isDirectory()) throw Object.assign(new Error("is a directory"), { code: "EISDIR" });
    const sha256 = await sha256File(absolute);
    return { absolutePath: absolute, blob: await openAsBlob(absolute), sha256 };
  } catch (error) {
    throw localFileError(error, absolute, shownAs);
  }
}
