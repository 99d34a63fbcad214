/**
 * The emitted per-cluster passes of k-means (kmeans-simd.ts): the clusters' coordinate sums and
 * sizes, and the inertia, over the workspace's points and labels. Sums run two features per f64x2,
 * each lane adding its feature's values in point order, and the inertia adds each point's squared
 * distance (summed over f in order) in point order: the JS loops' results bit for bit.
 */
import { F64, I32, op, type WasmFunction } from "./encoder.ts";
import type { Layout } from "./kmeans-simd-layout.ts";

/**
 * The body of `clusterSums(n, sums, counts)`: for each point in order, counts[label] += 1 and
 * sums[label] += its row (`sums` k x d and `counts` k, byte offsets into the memory, zeroed by the
 * caller), as kmeans-lloyd-kernel.ts's `freshMeans` and kmeans-hartigan-kernel.ts's `clusterMeans` sum.
 * @example
 * encodeModule([sumsFunction(8, layout(n, 8, 8))], pages); // exports clusterSums
 */
export function sumsFunction(d: number, at: Layout): WasmFunction {
  const [N, SUMS, COUNTS] = [0, 1, 2];
  const [i, base, row, count] = [3, 4, 5, 6];
  const body: number[] = [];
  const emit = (...parts: number[][]) => {
    for (const part of parts) body.push(...part);
  };
  emit(op.block, op.localGet(N), op.i32Eqz, op.brIf(0));
  emit(op.i32Const(0), op.localTee(i), op.localSet(base), op.loop);
  // label = labels[i]; row = sums + label * d * 8; counts[label] += 1.
  emit(op.localGet(i), op.i32Const(2), op.i32Shl, op.i32Load(at.labels), op.localTee(row));
  emit(op.i32Const(3), op.i32Shl, op.localGet(COUNTS), op.i32Add, op.localTee(count), op.localGet(count));
  emit(op.f64Load(), op.f64Const(1), op.f64Add, op.f64Store());
  emit(op.localGet(row), op.i32Const(d * 8), op.i32Mul, op.localGet(SUMS), op.i32Add, op.localSet(row));
  for (let f = 0; f + 2 <= d; f += 2) {
    emit(op.localGet(row), op.localGet(row), op.v128Load(f * 8), op.localGet(base), op.v128Load(at.x + f * 8));
    emit(op.f64x2Add, op.v128Store(f * 8));
  }
  if (d % 2 === 1) {
    const f = d - 1;
    emit(op.localGet(row), op.localGet(row), op.f64Load(f * 8), op.localGet(base), op.f64Load(at.x + f * 8));
    emit(op.f64Add, op.f64Store(f * 8));
  }
  emit(op.localGet(base), op.i32Const(d * 8), op.i32Add, op.localSet(base));
  emit(op.localGet(i), op.i32Const(1), op.i32Add, op.localTee(i), op.localGet(N), op.i32LtS, op.brIf(0));
  emit(op.end, op.end);
  return { name: "clusterSums", params: [I32, I32, I32], results: [], locals: [I32, I32, I32, I32], body };
}

/**
 * The body of `inertia(n) -> f64`: the sum in point order of each point's squared distance to its
 * label's centre in `centres` (k x d), each summed over f in order as kmeans-lloyd-kernel.ts's
 * `inertiaOf` does (diff = x_f - c_f; sq += diff * diff).
 * @example
 * encodeModule([inertiaFunction(8, layout(n, 8, 8))], pages); // exports inertia
 */
export function inertiaFunction(d: number, at: Layout): WasmFunction {
  const N = 0;
  const [i, base, row] = [1, 2, 3];
  const [total, sq, diff] = [4, 5, 6];
  const body: number[] = [];
  const emit = (...parts: number[][]) => {
    for (const part of parts) body.push(...part);
  };
  emit(op.f64Const(0), op.localSet(total));
  emit(op.block, op.localGet(N), op.i32Eqz, op.brIf(0));
  emit(op.i32Const(0), op.localTee(i), op.localSet(base), op.loop);
  emit(op.localGet(i), op.i32Const(2), op.i32Shl, op.i32Load(at.labels), op.i32Const(d * 8), op.i32Mul);
  emit(op.localSet(row), op.f64Const(0), op.localSet(sq));
  for (let f = 0; f < d; ++f) {
    emit(op.localGet(sq), op.localGet(base), op.f64Load(at.x + f * 8), op.localGet(row));
    emit(op.f64Load(at.centres + f * 8), op.f64Sub, op.localTee(diff), op.localGet(diff), op.f64Mul, op.f64Add);
    emit(op.localSet(sq));
  }
  emit(op.localGet(total), op.localGet(sq), op.f64Add, op.localSet(total));
  emit(op.localGet(base), op.i32Const(d * 8), op.i32Add, op.localSet(base));
  emit(op.localGet(i), op.i32Const(1), op.i32Add, op.localTee(i), op.localGet(N), op.i32LtS, op.brIf(0));
  emit(op.end, op.end, op.localGet(total));
  return { name: "inertia", params: [I32], results: [F64], locals: [I32, I32, I32, F64, F64, F64], body };
}
