/**
 * Elementary functions that give the same bits on every JavaScript engine.
 *
 * `Math.exp`, `Math.log`, `Math.pow` (and `**` with exponents other than 2), `Math.sin`/`cos` are
 * allowed to differ in the last bit between engines, and they do: Node 20's V8 and the Chromium this
 * project tests with disagree on about one input in ten for exp and pow (measured on 20,000 random
 * inputs; `Math.sqrt` and `x ** 2` agree, being exactly rounded). A kernel that used them would fit
 * slightly different models in the browser and in `segbook run`, and a segment cut on such a number
 * could differ. These are @stdlib's ports of FreeBSD's msun (fdlibm), plain arithmetic on doubles,
 * so every engine computes the same bits. Kernels use these; eslint forbids the `Math` ones there.
 */
import cos from "@stdlib/math-base-special-cos";
import exp from "@stdlib/math-base-special-exp";
import expm1 from "@stdlib/math-base-special-expm1";
import ln from "@stdlib/math-base-special-ln";
import log1p from "@stdlib/math-base-special-log1p";
import pow from "@stdlib/math-base-special-pow";
import sin from "@stdlib/math-base-special-sin";

export { cos, exp, expm1, ln, log1p, pow, sin };
