/**
 * The Web Worker that hashes a big file's slices for the page (hash-port.ts): started per file by
 * hash-file.ts, ended when the digest is in.
 */
import { serveSha256, type HashPort } from "./hash-port.ts";

serveSha256(self as unknown as HashPort);
