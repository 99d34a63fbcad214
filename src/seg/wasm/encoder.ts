/**
 * A tiny WebAssembly binary encoder: just enough to emit, at run time, numeric kernels specialised for
 * one problem shape (src/seg/wasm/kmeans-simd.ts). Emitting the bytes here rather than shipping a
 * compiled .wasm keeps the build free of a wasm toolchain and lets loops be fully unrolled for the
 * feature count at hand. Only the opcodes the kernels use are named; everything is plain MVP plus
 * fixed-width SIMD (no relaxed SIMD: its fused multiply-add would make results differ by machine).
 * Pure (no DOM, no engine): a kernel file.
 */

/** Value types. */
export const I32 = 0x7f;
/** 64-bit float. */
export const F64 = 0x7c;
/** 128-bit vector (two f64 lanes here). */
export const V128 = 0x7b;

/** Unsigned LEB128 of a non-negative integer below 2^32. */
export function uleb(value: number): number[] {
  const out: number[] = [];
  let v = value >>> 0;
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

/** Signed LEB128 of a 32-bit integer. */
export function sleb(value: number): number[] {
  const out: number[] = [];
  let v = value | 0;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

const utf8 = (text: string): number[] => [...new TextEncoder().encode(text)];
const name = (text: string): number[] => [...uleb(utf8(text).length), ...utf8(text)];
const vector = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];

/** Instructions, each returning its bytes (compose with spread: `[...op.localGet(0), ...op.f64Add]`). */
export const op = {
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  if: [0x04, 0x40],
  else: [0x05],
  end: [0x0b],
  br: (depth: number) => [0x0c, ...uleb(depth)],
  brIf: (depth: number) => [0x0d, ...uleb(depth)],
  select: [0x1b],
  localGet: (index: number) => [0x20, ...uleb(index)],
  localSet: (index: number) => [0x21, ...uleb(index)],
  localTee: (index: number) => [0x22, ...uleb(index)],
  /** Loads and stores take a byte offset added to the address on the stack (alignment hint: natural). */
  i32Load: (offset = 0) => [0x28, 2, ...uleb(offset)],
  f64Load: (offset = 0) => [0x2b, 3, ...uleb(offset)],
  i32Store: (offset = 0) => [0x36, 2, ...uleb(offset)],
  f64Store: (offset = 0) => [0x39, 3, ...uleb(offset)],
  i32Const: (value: number) => [0x41, ...sleb(value)],
  f64Const: (value: number) => [0x44, ...new Uint8Array(new Float64Array([value]).buffer)],
  i32Eqz: [0x45],
  i32Eq: [0x46],
  i32Ne: [0x47],
  i32LtS: [0x48],
  i32GtS: [0x4a],
  i32GeS: [0x4e],
  f64Eq: [0x61],
  f64Lt: [0x63],
  f64Gt: [0x64],
  f64Le: [0x65],
  i32And: [0x71],
  i32Or: [0x72],
  i32Add: [0x6a],
  i32Sub: [0x6b],
  i32Mul: [0x6c],
  i32Shl: [0x74],
  i32ShrU: [0x76],
  f64Sqrt: [0x9f],
  f64Add: [0xa0],
  f64Sub: [0xa1],
  f64Mul: [0xa2],
  f64Min: [0xa4],
  f64Max: [0xa5],
  i32TruncF64S: [0xaa],
  /** SIMD (prefix 0xfd); v128 loads need no alignment (hint 8 bytes: f64 rows are 8-aligned). */
  v128Load: (offset = 0) => [0xfd, 0x00, 3, ...uleb(offset)],
  v128Store: (offset = 0) => [0xfd, 0x0b, 3, ...uleb(offset)],
  v128Load64Splat: (offset = 0) => [0xfd, 0x0a, 3, ...uleb(offset)],
  f64x2Splat: [0xfd, 0x14],
  f64x2ExtractLane: (lane: number) => [0xfd, 0x21, lane],
  f64x2Add: [0xfd, ...uleb(0xf0)],
  f64x2Sub: [0xfd, ...uleb(0xf1)],
  f64x2Mul: [0xfd, ...uleb(0xf2)],
  f64x2Min: [0xfd, ...uleb(0xf4)],
  f64x2Max: [0xfd, ...uleb(0xf5)],
  f64x2Lt: [0xfd, 0x49],
  v128Bitselect: [0xfd, 0x52],
  /** Two f64 lanes as a constant. */
  v128ConstF64: (lane0: number, lane1: number) => [
    0xfd,
    0x0c,
    ...new Uint8Array(new Float64Array([lane0, lane1]).buffer),
  ],
  /** pmin(a, b) = b < a ? b : a lane by lane (a kept on ties, unlike IEEE min's -0 rule). */
  f64x2Pmin: [0xfd, ...uleb(0xf6)],
};

/** One exported function: its signature, extra locals (by type, in order) and body (without the final `end`). */
export interface WasmFunction {
  name: string;
  params: number[];
  results: number[];
  locals: number[];
  body: number[];
}

/**
 * A module importing its memory as `env.memory` (the caller allocates it, so typed arrays over it
 * can be filled before and read after each call) and exporting `functions` by name.
 */
export function encodeModule(functions: WasmFunction[], minPages = 1): Uint8Array<ArrayBuffer> {
  const types = functions.map((f) => [0x60, ...vector(f.params.map((t) => [t])), ...vector(f.results.map((t) => [t]))]);
  const imports = [[...name("env"), ...name("memory"), 0x02, 0x00, ...uleb(minPages)]];
  const exports = functions.map((f, i) => [...name(f.name), 0x00, ...uleb(i)]);
  const codes = functions.map((f) => {
    // Locals run-length encoded by type.
    const groups: number[][] = [];
    for (const type of f.locals) {
      const last = groups[groups.length - 1];
      if (last && last[1] === type) last[0]!++;
      else groups.push([1, type]);
    }
    const body = [...vector(groups.map(([count, type]) => [...uleb(count!), type!])), ...f.body, ...op.end];
    return [...uleb(body.length), ...body];
  });
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vector(types)),
    ...section(2, vector(imports)),
    ...section(3, vector(functions.map((_, i) => uleb(i)))),
    ...section(7, vector(exports)),
    ...section(10, vector(codes)),
  ]);
}
