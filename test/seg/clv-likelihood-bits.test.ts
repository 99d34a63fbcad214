/**
 * bgnbdLogLikelihood and gammaGammaLogLikelihood compute their per-x terms once per distinct x (a
 * speed-up): they must give the same bits as the per-customer formula written out term by term, in
 * the same order, so fitted CLV parameters (and segments cut on CLV) are unchanged.
 */
import betaln from "@stdlib/math-base-special-betaln";
import gammaln from "@stdlib/math-base-special-gammaln";
import { describe, expect, test } from "vitest";
import { hashString, mulberry32 } from "../../src/random/index.ts";
import { bgnbdLogLikelihood, gammaGammaLogLikelihood } from "../../src/seg/clv-kernel.ts";
import { exp, ln } from "../../src/seg/portable-math.ts";

/** The BG/NBD likelihood as one expression per customer (the form before the per-x cache). */
function bgnbdPerCustomer(
  p: { r: number; alpha: number; a: number; b: number },
  x: number[],
  tx: number[],
  T: number[],
): number {
  const { r, alpha, a, b } = p;
  const lnRAlpha = r * ln(alpha) - gammaln(r);
  const lnBetaAB = betaln(a, b);
  let total = 0;
  for (let i = 0; i < x.length; i++) {
    const xi = x[i]!;
    const a1 = gammaln(r + xi) + lnRAlpha;
    const a2 = betaln(a, b + xi) - lnBetaAB;
    const a3 = -(r + xi) * ln(alpha + T[i]!);
    if (xi > 0) {
      const a4 = ln(a) - ln(b + xi - 1) - (r + xi) * ln(tx[i]! + alpha);
      const m = Math.max(a3, a4);
      total += a1 + a2 + m + ln(exp(a3 - m) + exp(a4 - m));
    } else {
      total += a1 + a2 + a3;
    }
  }
  return total;
}

/** The Gamma-Gamma likelihood as one expression per customer. */
function gammaGammaPerCustomer(pr: { p: number; q: number; v: number }, x: number[], m: number[]): number {
  const { p, q, v } = pr;
  const constant = q * ln(v) - gammaln(q);
  let total = 0;
  for (let i = 0; i < x.length; i++) {
    const px = p * x[i]!;
    total +=
      gammaln(px + q) -
      gammaln(px) +
      constant +
      (px - 1) * ln(m[i]!) +
      px * ln(x[i]!) -
      (px + q) * ln(x[i]! * m[i]! + v);
  }
  return total;
}

/** 3,000 customers with repeated purchase counts, as real data has them. */
function customers(seed: string) {
  const random = mulberry32(hashString(seed));
  const x: number[] = [];
  const tx: number[] = [];
  const T: number[] = [];
  const m: number[] = [];
  for (let i = 0; i < 3000; i++) {
    const count = random() < 0.4 ? 0 : Math.floor(random() * 12) + 1;
    const age = 30 + Math.floor(random() * 500);
    x.push(count);
    T.push(age);
    tx.push(count === 0 ? 0 : Math.floor(random() * age));
    m.push(5 + random() * 200);
  }
  return { x, tx, T, m };
}

describe("CLV likelihoods with per-x terms computed once", () => {
  test.each([
    { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 },
    { r: 1, alpha: 1, a: 1, b: 1 },
    { r: 3.7, alpha: 0.02, a: 12.5, b: 0.6 },
  ])("bgnbdLogLikelihood(%o) has the per-customer formula's bits", (params) => {
    const { x, tx, T } = customers(`bgnbd ${params.r}`);
    expect(Object.is(bgnbdLogLikelihood(params, x, tx, T), bgnbdPerCustomer(params, x, tx, T))).toBe(true);
  });

  test.each([
    { p: 6.25, q: 3.74, v: 15.44 },
    { p: 1, q: 1, v: 1 },
    { p: 0.3, q: 40, v: 0.5 },
  ])("gammaGammaLogLikelihood(%o) has the per-customer formula's bits", (params) => {
    const { x, m } = customers(`gg ${params.p}`);
    const repeat = x.flatMap((xi, i) => (xi > 0 ? [i] : []));
    const rx = repeat.map((i) => x[i]!);
    const rm = repeat.map((i) => m[i]!);
    expect(Object.is(gammaGammaLogLikelihood(params, rx, rm), gammaGammaPerCustomer(params, rx, rm))).toBe(true);
  });
});
