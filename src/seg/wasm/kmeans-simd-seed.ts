/**
 * The emitted k-means++ candidate scoring (kmeans-simd.ts): four candidates per pass over the points,
 * two per f64x2, each lane summing its dot product over the features in order as the JS does.
 */
import { F64, I32, op, V128, type WasmFunction } from "./encoder.ts";
import type { Layout } from "./kmeans-simd-layout.ts";

/**
 * The body of `seedScan(n, m, out0, out1, out2, out3, closest)`: kmeans-kernel.ts's
 * `distancesToCandidates` for one group of four candidates (rows in `candidatesT` by pairs as the
 * centres are, squared norms in `candidateNorms`), statement for statement: out_t[i] = min(closest[i],
 * max(0, ||x||^2 + ||p_t||^2 - 2 x.p_t)) unless the point is provably no nearer to any of them
 * (m > 0 and closest[i] <= reach[nearest[i]]), then closest[i]; the four sums (in point order) go to
 * `potential`. Lanes hold candidates (0 and 1, 2 and 3), so each dot product is summed over f in order.
 */
export function seedFunction(d: number, at: Layout): WasmFunction {
  const [n, m, out0, out1, out2, out3, closest] = [0, 1, 2, 3, 4, 5, 6];
  const [i, base, offset] = [7, 8, 9];
  const [near, xn] = [10, 11];
  const [xv, val01, val23, sum01, sum23] = [12, 13, 14, 15, 16];
  const body: number[] = [];
  const emit = (...parts: number[][]) => {
    for (const part of parts) body.push(...part);
  };
  const groups = [
    [val01, 0, out0, out1, sum01],
    [val23, 1, out2, out3, sum23],
  ] as const;
  emit(op.f64Const(0), op.f64x2Splat, op.localTee(sum01), op.localSet(sum23));
  emit(op.block, op.localGet(n), op.i32Eqz, op.brIf(0));
  emit(op.i32Const(0), op.localTee(i), op.localSet(base), op.loop);
  emit(op.localGet(i), op.i32Const(3), op.i32Shl, op.localTee(offset), op.localGet(closest), op.i32Add, op.f64Load());
  emit(op.localTee(near), op.f64x2Splat, op.localTee(val01), op.localSet(val23));
  // Unless m > 0 && near <= reach[nearest[i]] (then every output is `near`):
  emit(op.localGet(m), op.i32Const(0), op.i32GtS, op.localGet(near), op.localGet(offset), op.i32Const(1));
  emit(op.i32ShrU, op.i32Load(at.nearest), op.i32Const(3), op.i32Shl, op.f64Load(at.reach), op.f64Le, op.i32And);
  emit(op.i32Eqz, op.if);
  emit(op.f64Const(0), op.f64x2Splat, op.localTee(val01), op.localSet(val23));
  for (let f = 0; f < d; ++f) {
    emit(op.localGet(base), op.v128Load64Splat(at.x + f * 8), op.localSet(xv));
    for (const [val, p] of groups) {
      emit(op.localGet(val), op.localGet(xv), op.i32Const(0), op.v128Load(at.candidatesT + (p * d + f) * 16));
      emit(op.f64x2Mul, op.f64x2Add, op.localSet(val));
    }
  }
  emit(op.localGet(offset), op.f64Load(at.xNorms), op.localSet(xn));
  for (const [val, p] of groups) {
    // min(near, max(0, xn + n_t - 2 * dot_t)).
    emit(op.localGet(near), op.f64x2Splat, op.f64Const(0), op.f64x2Splat, op.localGet(xn), op.f64x2Splat);
    emit(op.i32Const(0), op.v128Load(at.candidateNorms + p * 16), op.f64x2Add, op.f64Const(2), op.f64x2Splat);
    emit(op.localGet(val), op.f64x2Mul, op.f64x2Sub, op.f64x2Max, op.f64x2Min, op.localSet(val));
  }
  emit(op.end);
  for (const [val, , lane0, lane1, sum] of groups) {
    emit(op.localGet(lane0), op.localGet(offset), op.i32Add, op.localGet(val), op.f64x2ExtractLane(0), op.f64Store());
    emit(op.localGet(lane1), op.localGet(offset), op.i32Add, op.localGet(val), op.f64x2ExtractLane(1), op.f64Store());
    emit(op.localGet(sum), op.localGet(val), op.f64x2Add, op.localSet(sum));
  }
  emit(op.localGet(base), op.i32Const(d * 8), op.i32Add, op.localSet(base));
  emit(op.localGet(i), op.i32Const(1), op.i32Add, op.localTee(i), op.localGet(n), op.i32LtS, op.brIf(0));
  emit(op.end, op.end);
  emit(op.i32Const(0), op.localGet(sum01), op.v128Store(at.potential));
  emit(op.i32Const(0), op.localGet(sum23), op.v128Store(at.potential + 16));
  return {
    name: "seedScan",
    params: Array(7).fill(I32),
    results: [],
    locals: [I32, I32, I32, F64, F64, V128, V128, V128, V128, V128],
    body,
  };
}

/**
 * The bodies of `cumulativeSum(n, from, to)` (to[i] = from[0] + … + from[i], added in point order as
 * kmeansPlusPlus's `running += closest[i]`) and `nearestUpdate(n, picked, closest, c)` (nearest[i] = c
 * where picked[i] < closest[i]): the two other passes over the points of each k-means++ step, here
 * so that they run compiled from the first restart on. Array arguments are byte offsets.
 * @example
 * encodeModule(seedPassFunctions(layout(n, 8, 8)), pages); // exports cumulativeSum, nearestUpdate
 */
export function seedPassFunctions(at: Layout): WasmFunction[] {
  const loop = (params: number[], locals: number[], name: string, step: number[][]): WasmFunction => {
    const [N, i, offset] = [0, params.length, params.length + 1];
    const body: number[] = [];
    const emit = (...parts: number[][]) => {
      for (const part of parts) body.push(...part);
    };
    emit(op.block, op.localGet(N), op.i32Eqz, op.brIf(0), op.i32Const(0), op.localSet(i), op.loop);
    emit(op.localGet(i), op.i32Const(3), op.i32Shl, op.localSet(offset), ...step);
    emit(op.localGet(i), op.i32Const(1), op.i32Add, op.localTee(i), op.localGet(N), op.i32LtS, op.brIf(0));
    emit(op.end, op.end);
    return { name, params, results: [], locals: [I32, I32, ...locals], body };
  };
  // cumulativeSum: params n, from, to; locals i, offset (8 i), running.
  const [FROM, TO, OFFSET3, RUNNING] = [1, 2, 4, 5];
  const cumulative = loop([I32, I32, I32], [F64], "cumulativeSum", [
    op.localGet(TO),
    op.localGet(OFFSET3),
    op.i32Add,
    op.localGet(RUNNING),
    op.localGet(FROM),
    op.localGet(OFFSET3),
    op.i32Add,
    op.f64Load(),
    op.f64Add,
    op.localTee(RUNNING),
    op.f64Store(),
  ]);
  // nearestUpdate: params n, picked, closest, c; locals i, offset (8 i).
  const [PICKED, CLOSEST, C, OFFSET4] = [1, 2, 3, 5];
  const nearest = loop([I32, I32, I32, I32], [], "nearestUpdate", [
    op.localGet(PICKED),
    op.localGet(OFFSET4),
    op.i32Add,
    op.f64Load(),
    op.localGet(CLOSEST),
    op.localGet(OFFSET4),
    op.i32Add,
    op.f64Load(),
    op.f64Lt,
    op.if,
    op.localGet(OFFSET4),
    op.i32Const(1),
    op.i32ShrU,
    op.localGet(C),
    op.i32Store(at.nearest),
    op.end,
  ]);
  return [cumulative, nearest];
}
