/**
 * Special functions of the variational mixture: log Γ, the digamma function ψ
 * and log B(a, b), on positive arguments. Written by hand because the
 * variational lower bound must match scipy's `gammaln`, `digamma` and `betaln`
 * to about 1e-15 (no maintained npm package documents its accuracy), and they
 * are short: shift the argument up to ≥ 10 by the recurrences, then sum the
 * asymptotic (Stirling, de Moivre) series, whose first omitted term there is
 * below 1e-17.
 *
 * @module
 */

/** Below this the recurrences shift the argument up. */
const SHIFT = 10;

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

function checkPositive(name: string, x: number): void {
  if (!(x > 0) || !Number.isFinite(x)) throw new RangeError(`${name} is defined here on finite x > 0; got ${x}`);
}

/**
 * log Γ(x) for finite x > 0 (scipy's `gammaln`), to about 1e-15 absolute
 * below 10 and relative above.
 *
 * @param x - A finite positive number.
 * @returns log Γ(x).
 * @throws RangeError for x ≤ 0, NaN or ∞.
 * @example
 * ```ts
 * logGamma(5); // log 24 = 3.1780538303479458
 * ```
 */
export function logGamma(x: number): number {
  checkPositive('logGamma', x);
  let shift = 0;
  let product = 1;
  while (x < SHIFT) {
    product *= x;
    x += 1;
    shift++;
  }
  const inv = 1 / x;
  const inv2 = inv * inv;
  // 1/(12x) − 1/(360x³) + 1/(1260x⁵) − 1/(1680x⁷) + 1/(1188x⁹) − 691/(360360x¹¹) + 1/(156x¹³)
  const series =
    inv *
    (1 / 12 +
      inv2 * (-1 / 360 + inv2 * (1 / 1260 + inv2 * (-1 / 1680 + inv2 * (1 / 1188 + inv2 * (-691 / 360360 + inv2 / 156))))));
  const value = (x - 0.5) * Math.log(x) - x + HALF_LOG_2PI + series;
  return shift === 0 ? value : value - Math.log(product);
}

/**
 * The digamma function ψ(x) = d/dx log Γ(x) for finite x > 0 (scipy's `digamma`).
 *
 * @param x - A finite positive number.
 * @returns ψ(x).
 * @throws RangeError for x ≤ 0, NaN or ∞.
 * @example
 * ```ts
 * digamma(1); // −γ = −0.5772156649015329
 * ```
 */
export function digamma(x: number): number {
  checkPositive('digamma', x);
  let shifted = 0;
  while (x < SHIFT) {
    shifted -= 1 / x;
    x += 1;
  }
  const inv2 = 1 / (x * x);
  // ln x − 1/(2x) − 1/(12x²) + 1/(120x⁴) − 1/(252x⁶) + 1/(240x⁸) − 1/(132x¹⁰) + 691/(32760x¹²) − 1/(12x¹⁴)
  const series =
    inv2 *
    (-1 / 12 + inv2 * (1 / 120 + inv2 * (-1 / 252 + inv2 * (1 / 240 + inv2 * (-1 / 132 + inv2 * (691 / 32760 - inv2 / 12))))));
  return shifted + Math.log(x) - 0.5 / x + series;
}

/**
 * log B(a, b) = log Γ(a) + log Γ(b) − log Γ(a + b) (scipy's `betaln`).
 *
 * @param a - Finite, positive.
 * @param b - Finite, positive.
 * @returns log B(a, b).
 * @throws RangeError for a non-positive or non-finite argument.
 * @example
 * ```ts
 * logBeta(1, 1); // 0
 * ```
 */
export function logBeta(a: number, b: number): number {
  return logGamma(a) + logGamma(b) - logGamma(a + b);
}
