/**
 * The emitted E-step of Lloyd's k-means (kmeans-simd.ts): Hamerly's bound checks and, where they
 * fail, the full scan over centres, two centres per f64x2 so each lane sums x.c over the features in
 * order, exactly as the JS does (see kmeans-simd.ts for why that keeps every result bit for bit).
 */
import { F64, I32, op, V128, type WasmFunction } from "./encoder.ts";
import type { Layout } from "./kmeans-simd-layout.ts";

/** The `assign` function's parameters, in order (byte offsets are fixed by the layout, baked in as constants). */
const [N, BOUNDED, WITH_SUMS, TOP, RUNNER_UP, TOP_CENTRE, SLACK] = [0, 1, 2, 3, 4, 5, 6];

/**
 * The body of `assign(n, bounded, withSums, top, runnerUp, topCentre, slack)`: the E-step of
 * kmeans-lloyd-kernel.ts's `assignStep` for all n points, statement for statement (see there), over
 * the arrays of layout `at`: with `bounded` each point's Hamerly bounds are loosened by the centres'
 * shifts (`moved`; `top`/`runnerUp` the two largest, `topCentre` the largest's index) and tightened
 * with its own centre's distance (two partial sums: lane 0 the even features, lane 1 the odd) before
 * any full scan; with `withSums` each point changing cluster moves between the clusters' `sums` and
 * `weights`.
 */
export function assignFunction(d: number, k: number, at: Layout): WasmFunction {
  const pairs = Math.ceil(k / 2);
  const [i, base, offset, label, was, full, row] = [7, 8, 9, 10, 11, 12, 13];
  const [best, second, score, xn, u, l, bound] = [14, 15, 16, 17, 18, 19, 20];
  const [xv, bestV, secondV, labelV, mask] = [21, 22, 23, 24, 25];
  const acc = (p: number) => 26 + p;
  const body: number[] = [];
  const emit = (...parts: number[][]) => {
    for (const part of parts) body.push(...part);
  };
  // Address of element `index` (a local) of an array at byte `start` with `shift` = log2(element size).
  const address = (start: number, index: number, shift: number) => [
    ...op.localGet(index),
    ...op.i32Const(shift),
    ...op.i32Shl,
    ...op.i32Const(start),
    ...op.i32Add,
  ];
  // Leaves !(bound > u && (bound - u) * (bound + u) > slack) (both sides have no side effects).
  const boundsFail = () => {
    emit(op.localGet(bound), op.localGet(u), op.f64Gt, op.localGet(bound), op.localGet(u), op.f64Sub);
    emit(op.localGet(bound), op.localGet(u), op.f64Add, op.f64Mul, op.localGet(SLACK), op.f64Gt, op.i32And, op.i32Eqz);
  };
  // bound = max(l, 2 * half[a] - u).
  const setBound = () => {
    emit(op.localGet(l), op.f64Const(2), address(at.half, label, 3), op.f64Load(), op.f64Mul, op.localGet(u));
    emit(op.f64Sub, op.f64Max, op.localSet(bound));
  };

  emit(op.block, op.localGet(N), op.i32Eqz, op.brIf(0));
  emit(op.i32Const(0), op.localTee(i), op.localSet(base), op.loop);
  emit(op.localGet(i), op.i32Const(3), op.i32Shl, op.localSet(offset));
  emit(address(at.labels, i, 2), op.i32Load(), op.localTee(was), op.localSet(label));
  emit(op.localGet(BOUNDED), op.i32Eqz, op.localSet(full));
  emit(op.localGet(BOUNDED), op.if);
  {
    // u = upper[i] + moved[a]; l = lower[i] - (a === topCentre ? runnerUp : top); lower[i] = l.
    emit(op.localGet(offset), op.f64Load(at.upper), address(at.moved, label, 3), op.f64Load(), op.f64Add);
    emit(op.localSet(u), op.localGet(offset), op.f64Load(at.lower), op.localGet(RUNNER_UP), op.localGet(TOP));
    emit(op.localGet(label), op.localGet(TOP_CENTRE), op.i32Eq, op.select, op.f64Sub, op.localSet(l));
    emit(op.localGet(offset), op.localGet(l), op.f64Store(at.lower));
    setBound();
    boundsFail();
    emit(op.if);
    {
      // The distance to the own centre: lane 0 sums the even features, lane 1 the odd ones.
      emit(op.localGet(label), op.i32Const(d * 8), op.i32Mul, op.localSet(row));
      emit(op.f64Const(0), op.f64x2Splat, op.localSet(xv));
      for (let f = 0; f + 2 <= d; f += 2) {
        emit(op.localGet(xv), op.localGet(base), op.v128Load(at.x + f * 8), op.localGet(row));
        emit(op.v128Load(at.centres + f * 8), op.f64x2Mul, op.f64x2Add, op.localSet(xv));
      }
      emit(op.localGet(xv), op.f64x2ExtractLane(0));
      if (d % 2 === 1) {
        emit(op.localGet(base), op.f64Load(at.x + (d - 1) * 8), op.localGet(row), op.f64Load(at.centres + (d - 1) * 8));
        emit(op.f64Mul, op.f64Add);
      }
      emit(op.localGet(xv), op.f64x2ExtractLane(1), op.f64Add, op.localSet(score));
      // u = sqrt(max(0, norms[a] + -2 * (dotA + dotB) + xNorms[i])).
      emit(op.f64Const(0), address(at.norms, label, 3), op.f64Load(), op.f64Const(-2), op.localGet(score));
      emit(op.f64Mul, op.f64Add, op.localGet(offset), op.f64Load(at.xNorms), op.f64Add, op.f64Max, op.f64Sqrt);
      emit(op.localSet(u));
      setBound();
      boundsFail();
      emit(op.localSet(full));
    }
    emit(op.end, op.localGet(offset), op.localGet(u), op.f64Store(at.upper));
  }
  emit(op.end, op.localGet(full), op.if);
  emitFullScan(emit, d, k, at, { base, offset, label, best, second, score, xn, xv, bestV, secondV, labelV, mask }, acc);
  emit(op.end);
  {
    // Sums: a point that changed cluster moves its coordinates from the old cluster's sum to the new.
    emit(op.localGet(WITH_SUMS), op.localGet(label), op.localGet(was), op.i32Ne, op.i32And, op.if);
    emit(op.localGet(was), op.i32Const(0), op.i32GeS, op.if);
    emit(address(at.weights, was, 3), address(at.weights, was, 3), op.f64Load(), op.f64Const(1), op.f64Sub);
    emit(op.f64Store(), op.localGet(was), op.i32Const(d * 8), op.i32Mul, op.localSet(row));
    for (let f = 0; f < d; ++f) {
      emit(op.localGet(row), op.localGet(row), op.f64Load(at.sums + f * 8), op.localGet(base));
      emit(op.f64Load(at.x + f * 8), op.f64Sub, op.f64Store(at.sums + f * 8));
    }
    emit(op.end);
    emit(address(at.weights, label, 3), address(at.weights, label, 3), op.f64Load(), op.f64Const(1), op.f64Add);
    emit(op.f64Store(), op.localGet(label), op.i32Const(d * 8), op.i32Mul, op.localSet(row));
    for (let f = 0; f < d; ++f) {
      emit(op.localGet(row), op.localGet(row), op.f64Load(at.sums + f * 8), op.localGet(base));
      emit(op.f64Load(at.x + f * 8), op.f64Add, op.f64Store(at.sums + f * 8));
    }
    emit(op.end);
  }
  emit(op.localGet(base), op.i32Const(d * 8), op.i32Add, op.localSet(base));
  emit(op.localGet(i), op.i32Const(1), op.i32Add, op.localTee(i), op.localGet(N), op.i32LtS, op.brIf(0));
  emit(op.end, op.end);
  return {
    name: "assign",
    params: [I32, I32, I32, F64, F64, I32, F64],
    results: [],
    locals: [...Array(7).fill(I32), ...Array(7).fill(F64), ...Array(5 + pairs).fill(V128)],
    body,
  };
}

/** Locals the full scan uses. */
interface ScanLocals {
  base: number;
  offset: number;
  label: number;
  best: number;
  second: number;
  score: number;
  xn: number;
  xv: number;
  bestV: number;
  secondV: number;
  labelV: number;
  mask: number;
}

/**
 * The full scan of the point at `base` (byte offset of its row from `x`): its best centre by
 * sklearn's score ||c||^2 - 2 x.c (first on ties) into `label` and labels[i], and the square roots
 * of its best and second-best squared distances (score + ||x||^2, clipped at 0) into upper[i] and
 * lower[i] (`offset` = 8 i). The two lanes hold two CENTRES, so each lane sums its dot product over
 * f in order, exactly as the JS does one centre at a time.
 */
function emitFullScan(
  emit: (...parts: number[][]) => void,
  d: number,
  k: number,
  at: Layout,
  v: ScanLocals,
  acc: (p: number) => number,
): void {
  const pairs = Math.ceil(k / 2);
  for (let p = 0; p < pairs; ++p) emit(op.f64Const(0), op.f64x2Splat, op.localSet(acc(p)));
  // acc_p += splat(x_f) * (c_{2p,f}, c_{2p+1,f}), f in order.
  for (let f = 0; f < d; ++f) {
    emit(op.localGet(v.base), op.v128Load64Splat(at.x + f * 8), op.localSet(v.xv));
    for (let p = 0; p < pairs; ++p) {
      emit(op.localGet(acc(p)), op.localGet(v.xv), op.i32Const(0), op.v128Load(at.centresT + (p * d + f) * 16));
      emit(op.f64x2Mul, op.f64x2Add, op.localSet(acc(p)));
    }
  }
  // Lane 0 runs through the even centres, lane 1 through the odd ones, each keeping its best score,
  // the first centre reaching it and its second-best score exactly as the JS loop does one centre at
  // a time (pmin keeps the old value on ties); the two lanes are merged after.
  emit(op.f64Const(Infinity), op.f64x2Splat, op.localTee(v.bestV), op.localSet(v.secondV));
  emit(op.v128ConstF64(0, 1), op.localSet(v.labelV));
  for (let p = 0; p < pairs; ++p) {
    // score = ||c||^2 + -2 * dot, as the JS writes it (a missing centre's norm is +Infinity: never picked).
    emit(op.i32Const(0), op.v128Load(at.norms + p * 16), op.f64Const(-2), op.f64x2Splat, op.localGet(acc(p)));
    emit(op.f64x2Mul, op.f64x2Add, op.localTee(acc(p)), op.localGet(v.bestV), op.f64x2Lt, op.localSet(v.mask));
    // second = s < best ? best : (s < second ? s : second); best = s < best ? s : best.
    emit(op.localGet(v.bestV), op.localGet(v.secondV), op.localGet(acc(p)), op.f64x2Pmin, op.localGet(v.mask));
    emit(op.v128Bitselect, op.localSet(v.secondV));
    emit(op.localGet(v.bestV), op.localGet(acc(p)), op.f64x2Pmin, op.localSet(v.bestV));
    emit(op.v128ConstF64(2 * p, 2 * p + 1), op.localGet(v.labelV), op.localGet(v.mask), op.v128Bitselect);
    emit(op.localSet(v.labelV));
  }
  // Merge: the lower best wins, the lower centre on equal bests; the overall second best is the
  // smaller of the larger best and both lanes' seconds.
  emit(op.localGet(v.bestV), op.f64x2ExtractLane(0), op.localSet(v.best));
  emit(op.localGet(v.bestV), op.f64x2ExtractLane(1), op.localSet(v.score));
  // label = b1 == b0 ? min(l0, l1) : b1 < b0 ? l1 : l0.
  emit(op.localGet(v.labelV), op.f64x2ExtractLane(0), op.localGet(v.labelV), op.f64x2ExtractLane(1), op.f64Min);
  emit(op.localGet(v.labelV), op.f64x2ExtractLane(1), op.localGet(v.labelV), op.f64x2ExtractLane(0));
  emit(op.localGet(v.score), op.localGet(v.best), op.f64Lt, op.select);
  emit(op.localGet(v.score), op.localGet(v.best), op.f64Eq, op.select, op.i32TruncF64S, op.localSet(v.label));
  emit(op.localGet(v.best), op.localGet(v.score), op.f64Max, op.localGet(v.secondV), op.f64x2ExtractLane(0));
  emit(op.localGet(v.secondV), op.f64x2ExtractLane(1), op.f64Min, op.f64Min, op.localSet(v.second));
  emit(op.localGet(v.best), op.localGet(v.score), op.f64Min, op.localSet(v.best));
  // labels[i] = label; upper[i] = sqrt(max(0, best + xn)); lower[i] = sqrt(max(0, second + xn)).
  emit(op.localGet(v.offset), op.i32Const(1), op.i32ShrU, op.localGet(v.label), op.i32Store(at.labels));
  emit(op.localGet(v.offset), op.f64Load(at.xNorms), op.localSet(v.xn));
  for (const [out, value] of [
    [at.upper, v.best],
    [at.lower, v.second],
  ] as const) {
    emit(op.localGet(v.offset), op.f64Const(0), op.localGet(value), op.localGet(v.xn), op.f64Add, op.f64Max);
    emit(op.f64Sqrt, op.f64Store(out));
  }
}
