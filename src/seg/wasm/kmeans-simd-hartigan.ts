/**
 * The emitted scan of Hartigan's refinement (kmeans-hartigan-kernel.ts): the bound checks and the
 * distances to every centre, for the points that do not move (nearly all of them), in WebAssembly
 * SIMD. A point that moves is handed back to the JS, which redoes it exactly and makes the move.
 * Distances run two centres per f64x2 (lane 0 the even centre, lane 1 the odd), each lane summing
 * (x_f - c_f)^2 over f in order as the JS does, so every decision is the JS's bit for bit.
 */
import { F64, I32, op, V128, type WasmFunction } from "./encoder.ts";
import type { Layout } from "./kmeans-simd-layout.ts";

/**
 * A move must lower the inertia by more than this fraction of the point's cost: no rounding loops.
 * @example
 * if (targetCost < stayCost * (1 - HARTIGAN_GAIN)) move();
 */
export const HARTIGAN_GAIN = 1e-12;

/**
 * The body of `hartiganScan(start, n, drift, cheapest) -> i32`: for the points start, start+1, …
 * of kmeans-hartigan-kernel.ts's pass loop, statement for statement: a point whose cluster has one
 * member, or whose bounds (`upper`, `lower`, loosened by `drift` - `stamp`) prove that even the
 * `cheapest` destination costs more than staying, is skipped; otherwise its squared distances to the
 * centres (`centresT`, by pairs) are computed and, when no move lowers the inertia by more than the
 * fraction `gain`, its bounds become the distances to its own and its nearest other centre and its
 * stamp `drift`. Returns the first point that moves (the JS makes the move), or n.
 * The cluster arrays are `counts`, `stay` (n/(n-1)) and `join` (n/(n+1)); labels are `labels`.
 * @example
 * encodeModule([hartiganFunction(8, 8, layout(n, 8, 8), HARTIGAN_GAIN)], pages); // exports hartiganScan
 */
export function hartiganFunction(d: number, k: number, at: Layout, gain: number): WasmFunction {
  const pairs = Math.ceil(k / 2);
  const [START, N, DRIFT, CHEAPEST] = [0, 1, 2, 3];
  const [i, base, offset, a, target, result, other] = [4, 5, 6, 7, 8, 9, 10];
  const [u, l, stayFactor, sq, nearest, targetCost, cost, own] = [11, 12, 13, 14, 15, 16, 17, 18];
  const [xv, diff] = [19, 20];
  const acc = (p: number) => 21 + p;
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

  emit(op.localGet(N), op.localSet(result));
  emit(op.block); // $out: `result` is set
  emit(op.localGet(START), op.localGet(N), op.i32GeS, op.brIf(0));
  emit(op.localGet(START), op.localTee(i), op.i32Const(d * 8), op.i32Mul, op.localSet(base));
  emit(op.loop); // $next
  emit(op.block); // $continue
  {
    emit(op.localGet(i), op.i32Const(3), op.i32Shl, op.localSet(offset));
    emit(address(at.labels, i, 2), op.i32Load(), op.localSet(a));
    // if (counts[a] <= 1) continue;
    emit(address(at.counts, a, 3), op.f64Load(), op.f64Const(1), op.f64Le, op.brIf(0));
    emit(address(at.stay, a, 3), op.f64Load(), op.localSet(stayFactor));
    // u = upper[i] + (drift - stamp[i]); l = lower[i] - (drift - stamp[i]).
    emit(op.localGet(offset), op.f64Load(at.upper), op.localGet(DRIFT), op.localGet(offset), op.f64Load(at.stamp));
    emit(op.f64Sub, op.f64Add, op.localSet(u));
    emit(op.localGet(offset), op.f64Load(at.lower), op.localGet(DRIFT), op.localGet(offset), op.f64Load(at.stamp));
    emit(op.f64Sub, op.f64Sub, op.localSet(l));
    // if (l > 0 && cheapest * l * l >= stayFactor * u * u) continue;  (a >= b written as b <= a)
    emit(op.localGet(l), op.f64Const(0), op.f64Gt);
    emit(op.localGet(stayFactor), op.localGet(u), op.f64Mul, op.localGet(u), op.f64Mul);
    emit(op.localGet(CHEAPEST), op.localGet(l), op.f64Mul, op.localGet(l), op.f64Mul, op.f64Le);
    emit(op.i32And, op.brIf(0));
    // acc_p = the sum over f in order of diff * diff, diff = x_f - c_f, for centres 2p and 2p+1.
    for (let p = 0; p < pairs; ++p) emit(op.f64Const(0), op.f64x2Splat, op.localSet(acc(p)));
    for (let f = 0; f < d; ++f) {
      emit(op.localGet(base), op.v128Load64Splat(at.x + f * 8), op.localSet(xv));
      for (let p = 0; p < pairs; ++p) {
        emit(op.localGet(acc(p)), op.localGet(xv), op.i32Const(0), op.v128Load(at.centresT + (p * d + f) * 16));
        emit(op.f64x2Sub, op.localTee(diff), op.localGet(diff), op.f64x2Mul, op.f64x2Add, op.localSet(acc(p)));
      }
    }
    // Centre by centre in order, as the JS: the own centre's distance, the nearest other centre's, and
    // the cheapest destination (strictly lower cost wins, so the first of equal costs).
    emit(op.f64Const(Infinity), op.localTee(nearest), op.localSet(targetCost));
    emit(op.f64Const(0), op.localSet(own), op.i32Const(-1), op.localSet(target));
    for (let c = 0; c < k; ++c) {
      emit(op.localGet(acc(c >> 1)), op.f64x2ExtractLane(c & 1), op.localSet(sq));
      emit(op.localGet(a), op.i32Const(c), op.i32Ne, op.localSet(other));
      // own = c === a ? sq : own
      emit(op.localGet(own), op.localGet(sq), op.localGet(other), op.select, op.localSet(own));
      // if (c !== a && sq < nearest) nearest = sq
      emit(op.localGet(sq), op.localGet(nearest), op.localGet(sq), op.localGet(nearest), op.f64Lt);
      emit(op.localGet(other), op.i32And, op.select, op.localSet(nearest));
      // cost = join[c] * sq; if (c !== a && cost < targetCost) { targetCost = cost; target = c }
      emit(op.i32Const(0), op.f64Load(at.join + c * 8), op.localGet(sq), op.f64Mul, op.localTee(cost));
      emit(op.localGet(targetCost), op.f64Lt, op.localGet(other), op.i32And, op.if);
      emit(op.localGet(cost), op.localSet(targetCost), op.i32Const(c), op.localSet(target));
      emit(op.end);
    }
    // A move (target >= 0 && targetCost < stayFactor * own * (1 - gain)): hand the point to the JS.
    emit(op.localGet(target), op.i32Const(0), op.i32GeS, op.localGet(targetCost), op.localGet(stayFactor));
    emit(op.localGet(own), op.f64Mul, op.f64Const(1 - gain), op.f64Mul, op.f64Lt, op.i32And, op.if);
    emit(op.localGet(i), op.localSet(result), op.br(3));
    emit(op.end);
    // upper[i] = sqrt(own); lower[i] = sqrt(nearest); stamp[i] = drift.
    emit(op.localGet(offset), op.localGet(own), op.f64Sqrt, op.f64Store(at.upper));
    emit(op.localGet(offset), op.localGet(nearest), op.f64Sqrt, op.f64Store(at.lower));
    emit(op.localGet(offset), op.localGet(DRIFT), op.f64Store(at.stamp));
  }
  emit(op.end); // $continue
  emit(op.localGet(base), op.i32Const(d * 8), op.i32Add, op.localSet(base));
  emit(op.localGet(i), op.i32Const(1), op.i32Add, op.localTee(i), op.localGet(N), op.i32LtS, op.brIf(0));
  emit(op.end); // $next
  emit(op.end); // $out
  emit(op.localGet(result));
  return {
    name: "hartiganScan",
    params: [I32, I32, F64, F64],
    results: [I32],
    locals: [...Array(7).fill(I32), ...Array(8).fill(F64), ...Array(2 + pairs).fill(V128)],
    body,
  };
}
