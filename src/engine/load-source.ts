/**
 * A source as loadFile holds it while loading (bytes in memory, or a browser File DuckDB reads
 * lazily), with the helpers every format's loader shares: registering it and wording a failure.
 */
import type { LoadContext } from "./load-file.ts";
import { duckdbMessage } from "./errors.ts";
import { PREFIX_BYTES } from "./text-checks.ts";

/** A source read (or, for a browser File read lazily by DuckDB, merely opened). */
export interface ReadSource {
  fileName: string;
  bytes?: Uint8Array;
  blob?: Blob;
  /** A local file DuckDB reads in place (native engine); `blob` then reads it lazily for the JS checks. */
  localPath?: string;
  /** For a local file: whether some line is over 1 MiB (see LocalFile.longLines). */
  longLines?: boolean;
  /** The bytes belong to the caller, so they are copied before a driver may take them. */
  callerOwned: boolean;
  /** The hash, or its promise while it is computed alongside the load (see load-file.ts). */
  sha256: string | { hash: Promise<string> };
}

/** Registers the source's bytes (or `bytes`, a rewrite of them) as `fileName` in DuckDB. */
export async function register(ctx: LoadContext, fileName: string, read: ReadSource, bytes?: Uint8Array) {
  if (!bytes && read.localPath && ctx.driver.registerLocalFile) {
    await ctx.driver.registerLocalFile(fileName, read.localPath);
    return;
  }
  if (!bytes && read.blob && ctx.driver.registerFileHandle) {
    await ctx.driver.registerFileHandle(fileName, read.blob);
    return;
  }
  const data = bytes ?? read.bytes!;
  const copy = ctx.driver.takesBuffers && read.callerOwned && data === read.bytes ? data.slice() : data;
  await ctx.driver.registerBuffer(fileName, copy);
}

/** The whole source in memory (a lazily read browser File is read now). */
export async function allBytes(read: ReadSource): Promise<Uint8Array> {
  if (!read.bytes) read.bytes = new Uint8Array(await read.blob!.arrayBuffer());
  return read.bytes;
}

/** The source's first bytes, for the text checks; a lazily read File is only sliced. */
export async function prefixBytes(read: ReadSource): Promise<Uint8Array> {
  if (read.bytes) return read.bytes.subarray(0, PREFIX_BYTES);
  return new Uint8Array(await read.blob!.slice(0, PREFIX_BYTES).arrayBuffer());
}

/** The source's size in bytes. */
export function sourceSize(read: ReadSource): number {
  return read.bytes?.length ?? read.blob?.size ?? 0;
}

/** Keeps DuckDB's "Original Line: ..." readable when the line is megabytes long. */
function shortenLines(message: string): string {
  return message.replace(/^(Original Line: )(.{200}).+$/m, (_, head: string, kept: string) => `${head}${kept}…`);
}

/** A load failure naming the file and the format, with DuckDB's reason and a hint. */
export function loadError(fileName: string, format: string, error: unknown, hint: string, registered?: string): Error {
  let message = shortenLines(duckdbMessage(error).trimEnd());
  if (registered) message = message.replaceAll(registered, fileName);
  return new Error(`loadFile: could not read "${fileName}" as ${format}: ${message}\n${hint}`, { cause: error });
}
