import { matrix, type Matrix } from '../matrix/matrix.js';
import { Random } from '../random/random.js';
import { checkOptionNames, integerAtLeast, nonNegativeNumber, seedValue } from '../validate.js';

/** Options of {@link makeMoons}. */
export interface MakeMoonsOptions {
  /** Total number of points. Default 100. */
  nSamples?: number;
  /** Standard deviation of the Gaussian noise added to every coordinate. Default 0. */
  noise?: number;
  /** Shuffle the rows (otherwise the upper moon comes first). Default true. */
  shuffle?: boolean;
  /** Seed. Default 0. */
  seed?: number;
}

/**
 * Two interleaving half circles (scikit-learn's `make_moons`): the upper moon
 * (cos t, sin t) and the lower (1 − cos t, ½ − sin t), t evenly spaced in
 * [0, π], plus Gaussian noise. A shape no small number of Gaussians fits,
 * which a mixture of many models as a density.
 *
 * @param options - See {@link MakeMoonsOptions}.
 * @returns The points (n × 2) and their moon (0 upper, 1 lower).
 * @example
 * ```ts
 * const { X, labels } = makeMoons({ nSamples: 200, noise: 0.05, seed: 0 });
 * ```
 */
export function makeMoons(options: MakeMoonsOptions = {}): {
  /** The points, n × d. */
  X: Matrix;
  /** The blob (or moon) each point was drawn from. */
  labels: Int32Array;
} {
  checkOptionNames(options, ['nSamples', 'noise', 'shuffle', 'seed'], 'makeMoons');
  const n = integerAtLeast('nSamples', options.nSamples ?? 100, 2);
  const noise = nonNegativeNumber('noise', options.noise ?? 0);
  const rng = new Random(seedValue('seed', options.seed ?? 0));
  const outer = Math.floor(n / 2);
  const inner = n - outer;
  const X = matrix(n, 2);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const upper = i < outer;
    const count = upper ? outer : inner;
    const t = count === 1 ? 0 : (Math.PI * (upper ? i : i - outer)) / (count - 1);
    X.data[2 * i] = upper ? Math.cos(t) : 1 - Math.cos(t);
    X.data[2 * i + 1] = upper ? Math.sin(t) : 0.5 - Math.sin(t);
    labels[i] = upper ? 0 : 1;
  }
  if (noise > 0) for (let i = 0; i < 2 * n; i++) X.data[i] += noise * rng.normal();
  if (options.shuffle ?? true) {
    for (let i = n - 1; i > 0; i--) {
      const j = rng.integer(i + 1);
      for (const a of [0, 1]) [X.data[2 * i + a], X.data[2 * j + a]] = [X.data[2 * j + a]!, X.data[2 * i + a]!];
      [labels[i], labels[j]] = [labels[j]!, labels[i]!];
    }
  }
  return { X, labels };
}
