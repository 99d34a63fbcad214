/**
 * BG/NBD (Fader, Hardie & Lee 2005) and Gamma-Gamma (Fader, Hardie & Lee 2005b) as the `lifetimes`
 * package defines them: log-likelihoods, maximum-likelihood fits on log-parameters (Nelder-Mead) and
 * the per-customer predictions. Inputs are the RFM summary as flat arrays, one entry per customer:
 * x = frequency (repeat purchase periods), tx = recency, T = age, m = mean repeat spend.
 */
import betaln from "@stdlib/math-base-special-betaln";
import gammaln from "@stdlib/math-base-special-gammaln";
import hyp2f1 from "@stdlib/math-base-special-hyp2f1";
import { nelderMead } from "./nelder-mead-kernel.ts";
import { exp, ln, pow } from "./portable-math.ts";

/** BG/NBD parameters: purchase rate Gamma(r, alpha), dropout Beta(a, b). */
export interface BgNbdParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

/** Gamma-Gamma spend parameters (lifetimes' p, q, v). */
export interface GammaGammaParams {
  p: number;
  q: number;
  v: number;
}

/**
 * The BG/NBD log-likelihood summed over customers (lifetimes' `BetaGeoFitter` likelihood, eq. 6 of
 * the paper, with its log-sum-exp for the two terms).
 * @example
 * bgnbdLogLikelihood({r: 0.243, alpha: 4.414, a: 0.793, b: 2.426}, x, tx, T); // CDNOW sample: ≈ -9582.43
 */
export function bgnbdLogLikelihood(
  params: BgNbdParams,
  x: ArrayLike<number>,
  tx: ArrayLike<number>,
  T: ArrayLike<number>,
): number {
  const { r, alpha, a, b } = params;
  const lnRAlpha = r * ln(alpha) - gammaln(r);
  const lnBetaAB = betaln(a, b);
  const lnA = ln(a);
  // The terms that depend on a customer's x alone, once per distinct x (purchase counts repeat across
  // thousands of customers): the optimiser calls this hundreds of times, and gammaln/betaln were
  // most of seg.clv's time. Same calls on the same arguments, summed in the same order: same bits.
  const byX = new Map<number, { a12: number; a4Head: number }>();
  let total = 0;
  for (let i = 0; i < x.length; i++) {
    const xi = x[i]!;
    let terms = byX.get(xi);
    if (!terms) {
      const a1 = gammaln(r + xi) + lnRAlpha;
      // ln B(a, b + x) - ln B(a, b) = lifetimes' gammaln(a+b) + gammaln(b+x) - gammaln(b) - gammaln(a+b+x).
      const a2 = betaln(a, b + xi) - lnBetaAB;
      terms = { a12: a1 + a2, a4Head: xi > 0 ? lnA - ln(b + xi - 1) : 0 };
      byX.set(xi, terms);
    }
    const a3 = -(r + xi) * ln(alpha + T[i]!);
    if (xi > 0) {
      const a4 = terms.a4Head - (r + xi) * ln(tx[i]! + alpha);
      const m = Math.max(a3, a4);
      total += terms.a12 + m + ln(exp(a3 - m) + exp(a4 - m));
    } else {
      total += terms.a12 + a3;
    }
  }
  return total;
}

/**
 * The Gamma-Gamma log-likelihood summed over customers with repeat purchases (x > 0, m > 0), as
 * lifetimes' `GammaGammaFitter`.
 * @example
 * gammaGammaLogLikelihood({p: 6.25, q: 3.74, v: 15.44}, x, m);
 */
export function gammaGammaLogLikelihood(params: GammaGammaParams, x: ArrayLike<number>, m: ArrayLike<number>): number {
  const { p, q, v } = params;
  const constant = q * ln(v) - gammaln(q);
  // As in bgnbdLogLikelihood: the gammaln terms once per distinct x, summed in the same order.
  const byX = new Map<number, { gammas: number; pxLnX: number }>();
  let total = 0;
  for (let i = 0; i < x.length; i++) {
    const xi = x[i]!;
    const mi = m[i]!;
    const px = p * xi;
    let terms = byX.get(xi);
    if (!terms) {
      terms = { gammas: gammaln(px + q) - gammaln(px), pxLnX: px * ln(xi) };
      byX.set(xi, terms);
    }
    total += terms.gammas + constant + (px - 1) * ln(mi) + terms.pxLnX - (px + q) * ln(xi * mi + v);
  }
  return total;
}

/**
 * Expected purchases in the next `t` periods given x, tx, T (lifetimes'
 * `conditional_expected_number_of_purchases_up_to_time`), with its fallback to Euler's transform of
 * 2F1 when the direct series overflows.
 */
export function expectedPurchases(params: BgNbdParams, x: number, tx: number, T: number, t: number): number {
  if (t === 0) return 0;
  const { r, alpha, a, b } = params;
  const ha = r + x;
  const hb = b + x;
  const hc = a + b + x - 1;
  const z = t / (alpha + T + t);
  let lnHyp = ln(hyp2f1(ha, hb, hc, z));
  if (!Number.isFinite(lnHyp)) lnHyp = ln(hyp2f1(hc - ha, hc - hb, hc, z)) + (hc - ha - hb) * ln(1 - z);
  const first = (a + b + x - 1) / (a - 1);
  const second = 1 - exp(lnHyp + (r + x) * ln((alpha + T) / (alpha + t + T)));
  const denominator = 1 + (x > 0 ? (a / (b + x - 1)) * pow((alpha + T) / (alpha + tx), r + x) : 0);
  return (first * second) / denominator;
}

/** P(alive | x, tx, T), lifetimes' `conditional_probability_alive` (1 for customers without repeats). */
export function probabilityAlive(params: BgNbdParams, x: number, tx: number, T: number): number {
  if (x === 0) return 1;
  const { r, alpha, a, b } = params;
  const logDiv = (r + x) * ln((alpha + T) / (alpha + tx)) + ln(a / (b + x - 1));
  return 1 / (1 + exp(logDiv));
}

/** Gamma-Gamma conditional expected average spend (population mean for customers without repeats). */
export function expectedSpend(params: GammaGammaParams, x: number, m: number): number {
  const { p, q, v } = params;
  const weight = (p * x) / (p * x + q - 1);
  return (1 - weight) * ((v * p) / (q - 1)) + weight * m;
}

/** What {@link clvKernel} returns. */
export interface ClvFit {
  bgnbd: BgNbdParams & { logLikelihood: number; converged: boolean };
  gammaGamma: (GammaGammaParams & { logLikelihood: number; converged: boolean; customers: number }) | null;
  pAlive: Float64Array;
  expected: Float64Array;
  spend: Float64Array;
  clv: Float64Array;
}

/**
 * Iterations per Nelder-Mead run. Well-posed fits (CDNOW, Online Retail, the lifetimes examples)
 * converge in under 500; data without a dropout signal sends a parameter to the boundary (a -> 0,
 * b -> infinity) and would run every restart to the limit: 20,000 made that 30 s on 400 customers.
 * Such a fit ends with `converged: false` and a warning either way.
 */
const FIT = { maxIterations: 2000 } as const;

/**
 * Fits BG/NBD on (x, tx, T) and Gamma-Gamma on the customers with x > 0 and m > 0, both by maximum
 * likelihood from all-ones parameters (lifetimes' start), then predicts per customer over `horizon`
 * periods. With `discountRate` d (per period) the CLV sums each period's expected purchases x spend
 * discounted by (1 + d)^period; without it, CLV = expected purchases x expected spend.
 */
export function clvKernel(
  x: Float64Array,
  tx: Float64Array,
  T: Float64Array,
  m: Float64Array,
  horizon: number,
  discountRate: number | null,
): ClvFit {
  const n = x.length;
  const toBg = (lp: readonly number[]): BgNbdParams => ({
    r: exp(lp[0]!),
    alpha: exp(lp[1]!),
    a: exp(lp[2]!),
    b: exp(lp[3]!),
  });
  // Minimise the mean negative log-likelihood (as lifetimes does) so tolerances do not scale with n.
  const bgFit = nelderMead((lp) => -bgnbdLogLikelihood(toBg(lp), x, tx, T) / n, [0, 0, 0, 0], FIT);
  const bg = toBg(bgFit.x);

  const repeatX: number[] = [];
  const repeatM: number[] = [];
  for (let i = 0; i < n; i++) {
    if (x[i]! > 0 && m[i]! > 0) {
      repeatX.push(x[i]!);
      repeatM.push(m[i]!);
    }
  }
  let gg: ClvFit["gammaGamma"] = null;
  if (repeatX.length >= 2) {
    const toGg = (lp: readonly number[]): GammaGammaParams => ({
      p: exp(lp[0]!),
      q: exp(lp[1]!),
      v: exp(lp[2]!),
    });
    const ggFit = nelderMead(
      (lp) => -gammaGammaLogLikelihood(toGg(lp), repeatX, repeatM) / repeatX.length,
      [0, 0, 0],
      FIT,
    );
    gg = {
      ...toGg(ggFit.x),
      logLikelihood: gammaGammaLogLikelihood(toGg(ggFit.x), repeatX, repeatM),
      converged: ggFit.converged,
      customers: repeatX.length,
    };
  }

  const pAlive = new Float64Array(n);
  const expected = new Float64Array(n);
  const spend = new Float64Array(n);
  const clv = new Float64Array(n);
  const steps = Math.ceil(horizon);
  for (let i = 0; i < n; i++) {
    pAlive[i] = probabilityAlive(bg, x[i]!, tx[i]!, T[i]!);
    expected[i] = expectedPurchases(bg, x[i]!, tx[i]!, T[i]!, horizon);
    spend[i] = gg ? expectedSpend(gg, x[i]!, m[i]!) : NaN;
    if (discountRate === null) {
      clv[i] = expected[i]! * spend[i]!;
    } else {
      let total = 0;
      let before = 0;
      for (let s = 1; s <= steps; s++) {
        const t = Math.min(s, horizon);
        const upTo = expectedPurchases(bg, x[i]!, tx[i]!, T[i]!, t);
        total += ((upTo - before) * spend[i]!) / pow(1 + discountRate, t);
        before = upTo;
      }
      clv[i] = total;
    }
  }
  return {
    bgnbd: { ...bg, logLikelihood: bgnbdLogLikelihood(bg, x, tx, T), converged: bgFit.converged },
    gammaGamma: gg,
    pAlive,
    expected,
    spend,
    clv,
  };
}
