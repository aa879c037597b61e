import { describe, expect, it } from 'vitest';
import { tour } from '../examples/tour.js';

describe('the tour (npm start)', () => {
  const result = tour();

  it('shows the Gaussian mixture recovering the species far better than k-means', () => {
    // Known results on iris: k-means ≈ 0.73, a full-covariance mixture ≈ 0.90.
    expect(result.kmeansAri).toBeCloseTo(0.7302, 3);
    expect(result.gmmAri).toBeCloseTo(0.9039, 3);
    expect(result.gmmAri - result.kmeansAri).toBeGreaterThan(0.15);
  });

  it('chooses two full-covariance components by BIC, as mclust does on iris', () => {
    expect(result.best.k).toBe(2);
    expect(result.best.type).toBe('full');
  });

  it('prints every section', () => {
    for (const heading of [
      '1. k-means',
      '2. Gaussian mixture',
      '3. Soft assignment',
      '4. Choosing the number',
      '5. A fitted mixture',
    ]) {
      expect(result.text).toContain(heading);
    }
  });
});
