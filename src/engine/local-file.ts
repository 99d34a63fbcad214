/**
 * Local files opened in place for the native engine: DuckDB reads them from disk itself, so they are
 * never copied through JS memory. Only the SHA-256 is computed here, streamed through Node's native
 * hash (noting in the same pass whether a line is over 1 MiB, so a CSV load can raise DuckDB's line limit
 * up front as it does for bytes in memory), and a lazily reading Blob serves the few bytes the text
 * checks look at. Node-only.
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

/** Bytes per read while hashing; also the line length {@link LocalFile.longLines} looks for. */
const READ_BYTES = 1 << 20;
const LF = 0x0a;

/**
 * Hex SHA-256 of a file, streamed from disk in 1 MiB reads, and whether a line is longer than one
 * read. Lines inside one read are shorter than it, so only the runs across reads are measured: two
 * native searches per read, not a loop over every byte.
 */
function scanFile(absolute: string): Promise<{ sha256: string; longLines: boolean }> {
  return new Promise((resolve, reject) => {
    const hash = createHash("sha256");
    let run = 0;
    let longLines = false;
    createReadStream(absolute, { highWaterMark: READ_BYTES })
      .on("data", (data) => {
        const chunk = data as Buffer;
        hash.update(chunk);
        const first = chunk.indexOf(LF);
        if (first < 0) run += chunk.length;
        else {
          longLines ||= run + first > READ_BYTES;
          run = chunk.length - chunk.lastIndexOf(LF) - 1;
        }
        longLines ||= run > READ_BYTES;
      })
      .on("error", reject)
      .on("end", () => resolve({ sha256: hash.digest("hex"), longLines }));
  });
}

/**
 * Opens the file at `absolute` in place: its Blob (read lazily) and SHA-256, with the messages
 * readPath gives for a missing file, a directory or a file that cannot be read; null for what is not
 * a regular file (a pipe, a device), which cannot be read twice.
 * @example const file = await openLocalFile("/data/orders.parquet", "orders.parquet"); file.sha256
 */
export async function openLocalFile(absolute: string, shownAs: string): Promise<LocalFile | null> {
  try {
    const info = await stat(absolute);
    if (info.isDirectory()) throw Object.assign(new Error("is a directory"), { code: "EISDIR" });
    // A pipe or device can be read only once: the caller reads it into memory instead.
    if (!info.isFile()) return null;
    const { sha256, longLines } = await scanFile(absolute);
    return { absolutePath: absolute, blob: await openAsBlob(absolute), sha256, longLines };
  } catch (error) {
    throw localFileError(error, absolute, shownAs);
  }
}
