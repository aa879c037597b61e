import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  GaussianMixture,
  GaussianMixtureModel,
  GaussianMixtureRegression,
  GaussianMixtureRegressor,
  InvalidParameterError,
  KMeans,
  makeBlobs,
  plotClusters,
  plotConvergence,
  plotCriteria,
  plotData,
  plotDensity,
  plotDensity1D,
  plotImages,
  plotKMeans,
  plotRegression,
  plotSamples,
  plotSoftAssignment,
  plotUncertainty,
  type SelectionResult,
  plotWeights,
} from '../src/index.js';

const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`./fixtures/plots/${name}`, import.meta.url), 'utf8'));
const iris = readFileSync(new URL('../data/iris.csv', import.meta.url), 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => line.split(',').slice(0, 4).map(Number));
const irisModel = GaussianMixtureModel.fromJSON(fixture('iris3.json'));
const moons = fixture('moons.json') as number[][];
const moonsModel = GaussianMixtureModel.fromJSON(fixture('moons8.json'));
const selection = fixture('iris-selection.json') as SelectionResult[];
const petals = { x: 2, y: 3 };
const wineLines = readFileSync(new URL('../data/wine.csv', import.meta.url), 'utf8')
  .trim()
  .split('\n');
const wineNames = wineLines[0]!.split(',').slice(0, 13);
const wine = wineLines.slice(1).map((line) => line.split(',').slice(0, 13).map(Number));

const count = (svg: string, pattern: RegExp): number => (svg.match(pattern) ?? []).length;

/** Every figure: one SVG root, a title, axis labels, tick labels, a legend. */
function expectFigure(svg: string, title: RegExp, xLabel: string, yLabel: string): void {
  expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
  expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
  expect(svg).toMatch(new RegExp(`<title>${title.source}`));
  expect(svg).toContain(`>${xLabel}</text>`);
  expect(svg).toContain(`>${yLabel}</text>`);
  expect(count(svg, /<text x="[\d.]+" y="[\d.]+">[-\d.,]+<\/text>/g)).toBeGreaterThan(3); // x tick labels
  expect(svg).not.toMatch(/NaN|undefined|Infinity/);
}

describe('figures (SVG snapshots)', () => {
  it('clusters: points by component, 1σ/2σ/3σ ellipses, means', async () => {
    const svg = plotClusters(irisModel, iris, petals);
    expectFigure(svg, /3 clusters: 1σ, 2σ and 3σ ellipses/, 'petal_length', 'petal_width');
    expect(count(svg, /<circle cx/g)).toBe(150 + 3); // the points, and a legend dot per component
    expect(count(svg, /<path d="M[^"]*Z" fill="none"/g)).toBe(9); // 3 ellipses × 3 components
    expect(svg).toContain('component 0 (weight 0.33)');
    await expect(svg).toMatchFileSnapshot('./__snapshots__/figures/clusters.svg');
  });

  it('proba: uncertain points ringed', async () => {
    const svg = plotSoftAssignment(irisModel, iris, { ...petals, threshold: 0.1 });
    const uncertain = Array.from(irisModel.uncertainty(iris)).filter((u) => u > 0.1).length;
    expectFigure(
      svg,
      new RegExp(`Soft assignment: ${uncertain} points with uncertainty &gt; 0.1`),
      'petal_length',
      'petal_width',
    );
    expect(count(svg, /r="5.5" fill="none"/g)).toBe(uncertain);
    await expect(svg).toMatchFileSnapshot('./__snapshots__/figures/proba.svg');
  });

  it('uncertainty: point size grows with uncertainty', async () => {
    const svg = plotUncertainty(irisModel, iris, petals);
    expectFigure(svg, /Uncertainty \(larger = less sure\)/, 'petal_length', 'petal_width');
    await expect(svg).toMatchFileSnapshot('./__snapshots__/figures/uncertainty.svg');
  });

  it('density: contours of the marginal log-density', async () => {
    const svg = plotDensity(moonsModel, moons, { levels: 8 });
    expectFigure(svg, /Log-density of the 8-component mixture/, 'x1', 'x2');
    expect(count(svg, /stroke-width="1.3"/g)).toBe(8);
    await expect(svg).toMatchFileSnapshot('./__snapshots__/figures/density.svg');
  });

  it('samples: drawn points over the data', async () => {
    const samples = moonsModel.sample(200, { seed: 3 });
    const svg = plotSamples(moonsModel, moons, samples);
    expectFigure(svg, /200 points drawn from the model, over the 200 data points/, 'x1', 'x2');
    await expect(svg).toMatchFileSnapshot('./__snapshots__/figures/samples.svg');
  });

  it('bic: one line per covariance type, the best ringed', async () => {
    const svg = plotCriteria(selection, { criteria: ['bic', 'aic'] });
    expectFigure(svg, /BIC and AIC against the number of components/, 'number of components', 'BIC and AIC');
    expect(count(svg, /<path d="M[^"]*" fill="none" stroke="#[0-9a-f]{6}" stroke-width="2"/g)).toBe(8);
    expect(svg).toContain('best BIC: k = 2, full');
    await expect(svg).toMatchFileSnapshot('./__snapshots__/figures/bic.svg');
  });

  it('images: grids of 8 × 8 images side by side', async () => {
    const images = Array.from({ length: 12 }, (_, i) =>
      Array.from({ length: 64 }, (_, p) => ((p % 8) + Math.floor(p / 8) + i) % 17),
    );
    const svg = plotImages(
      [
        { name: 'real', images: images.slice(0, 6) },
        { name: 'generated', images: images.slice(6) },
      ],
      { imageWidth: 8, imageHeight: 8, columns: 3, title: 'Digits' },
    );
    expect(svg).toContain('>real (6)</text>');
    expect(svg).toContain('>generated (6)</text>');
    expect(count(svg, /h33v33h-33z/g)).toBe(12); // a frame around each 8 × 8 image of 4-pixel squares
    await expect(svg).toMatchFileSnapshot('./__snapshots__/figures/images.svg');
    expect(() => plotImages([{ name: 'bad', images: [[1, 2, 3]] }], { imageWidth: 8, imageHeight: 8 })).toThrow(
      /rows of 64 pixels/,
    );
  });

  it('k-means: clusters inside circles reaching their farthest point, equal units on both axes', async () => {
    const model = new KMeans({ nClusters: 3, seed: 0 }).fit(iris);
    const svg = plotKMeans(model, iris, { ...petals, featureNames: irisModel.featureNames! });
    expectFigure(svg, /k-means, k = 3: hard clusters with round boundaries/, 'petal_length', 'petal_width');
    expect(count(svg, /<circle cx/g)).toBe(150 + 3 + 1); // points, legend dots, the legend's ring
    const circles = [...svg.matchAll(/<path d="M([^"]*)Z" fill="#[0-9a-f]{6}" fill-opacity="0.08"/g)].map((m) =>
      m[1]!
        .split(/[ML]/)
        .filter(Boolean)
        .map((p) => p.split(',').map(Number) as [number, number]),
    );
    expect(circles).toHaveLength(3);
    for (const ring of circles) {
      // Round on screen: every vertex at the same pixel distance from the ring's centroid.
      const cx = ring.reduce((s, [x]) => s + x, 0) / ring.length;
      const cy = ring.reduce((s, [, y]) => s + y, 0) / ring.length;
      const radii = ring.map(([x, y]) => Math.hypot(x - cx, y - cy));
      expect(Math.max(...radii) - Math.min(...radii)).toBeLessThan(0.3);
    }
    expect(svg).toContain('cluster 0 (');
    await expect(svg).toMatchFileSnapshot('./__snapshots__/figures/kmeans.svg');
  });

  it('convergence: the log-likelihood per iteration', async () => {
    const svg = plotConvergence(irisModel.lowerBounds);
    expectFigure(svg, /EM convergence: log-likelihood -1\.\d{4} after \d+ iterations/, 'iteration', 'mean log-likelihood');
    expect(count(svg, /r="2.6"/g)).toBe(irisModel.lowerBounds.length);
    await expect(svg).toMatchFileSnapshot('./__snapshots__/figures/convergence.svg');
    expect(() => plotConvergence([])).toThrow(InvalidParameterError);
    expect(() => plotConvergence([-1, NaN])).toThrow(/finite/);
  });

  it('density1d: a histogram with mixture densities over it', async () => {
    const svg = plotDensity1D(iris, [{ label: 'fitted', model: irisModel }], { feature: 2, bins: 20 });
    expectFigure(svg, /Density of petal_length/, 'petal_length', 'density');
    expect(count(svg, /<rect [^>]*fill="#c9d4e3"\/>/g)).toBe(20); // the bars
    expect(count(svg, /stroke-dasharray="5 3"/g)).toBe(3); // the components
    await expect(svg).toMatchFileSnapshot('./__snapshots__/figures/density1d.svg');
    expect(() => plotDensity1D(iris, [])).toThrow(InvalidParameterError);
    expect(() => plotDensity1D(iris, [{ label: 'm', model: irisModel }], { feature: 9 })).toThrow(/feature/);
  });

  it('marks the plot area and the data domain, so a click can be mapped back to data', () => {
    const svg = plotClusters(irisModel, iris, petals);
    const [left, top, right, bottom] = /data-plot="([^"]+)"/.exec(svg)![1]!.split(' ').map(Number);
    const [x0, x1, y0, y1] = /data-domain="([^"]+)"/.exec(svg)![1]!.split(' ').map(Number);
    expect([left, top, right, bottom]).toEqual([62, 44, 616, 392]);
    // A mean marker's pixel position maps back to the mean.
    const [mx, my] = [irisModel.means.data[2]!, irisModel.means.data[3]!];
    const cx = left! + ((mx - x0!) / (x1! - x0!)) * (right! - left!);
    const cy = bottom! - ((my - y0!) / (y1! - y0!)) * (bottom! - top!);
    expect(svg).toContain(`M${Math.round((cx - 6) * 10) / 10},${Math.round(cy * 10) / 10}`);
  });

  it('data: a scatter colored by known classes', async () => {
    const species = Array.from({ length: 150 }, (_, i) => Math.floor(i / 50));
    const svg = plotData(iris, {
      ...petals,
      featureNames: irisModel.featureNames!,
      labels: species,
      classNames: ['setosa', 'versicolor', 'virginica'],
    });
    expectFigure(svg, /150 points/, 'petal_length', 'petal_width');
    expect(count(svg, /<circle cx/g)).toBe(153);
    expect(svg).toContain('>virginica</text>');
    await expect(svg).toMatchFileSnapshot('./__snapshots__/figures/data.svg');
    expect(() => plotData(iris, { labels: [0, 1] })).toThrow(/150 non-negative integers/);
  });

  it('keeps fixed axis ranges (animation frames do not jump)', () => {
    const a = plotClusters(irisModel, iris, { ...petals, xDomain: [0, 8], yDomain: [-1, 3] });
    expect(/data-domain="([^"]+)"/.exec(a)![1]).toBe('0 8 -1 3');
    const b = plotSoftAssignment(irisModel, iris.slice(0, 10), { ...petals, xDomain: [0, 8], yDomain: [-1, 3] });
    expect(/data-domain="([^"]+)"/.exec(b)![1]).toBe('0 8 -1 3');
    expect(() => plotClusters(irisModel, iris, { xDomain: [3, 1] })).toThrow(/xDomain must be \[min, max\]/);
  });

  it('is deterministic and checks the plotted features', () => {
    expect(plotClusters(irisModel, iris, petals)).toBe(plotClusters(irisModel, iris, petals));
    expect(() => plotClusters(irisModel, iris, { x: 4 })).toThrow(InvalidParameterError);
    expect(() => plotClusters(irisModel, iris, { x: 4 })).toThrow(/x must be a feature index from 0 to 3; got 4/);
  });
});

describe('figures frame unscaled data per axis (wine: proline in the thousands, color intensity 1–13)', () => {
  const proline = wineNames.indexOf('proline');
  const color = wineNames.indexOf('color_intensity');
  const plane = { x: proline, y: color, featureNames: wineNames };
  const model = new GaussianMixture({ nComponents: 3, seed: 0 }).fit(wine);
  const domain = (svg: string): number[] => /data-domain="([^"]+)"/.exec(svg)![1]!.split(' ').map(Number);
  const rect = (svg: string): number[] => /data-plot="([^"]+)"/.exec(svg)![1]!.split(' ').map(Number);
  const coords = (d: string): [number, number][] =>
    d
      .split(/[MLZ]/)
      .filter(Boolean)
      .map((p) => p.split(',').map(Number) as [number, number]);
  const column = (c: number): number[] => wine.map((r) => r[c]!);
  const range = (v: number[]): [number, number] => [Math.min(...v), Math.max(...v)];

  for (const [kind, draw] of [
    ['clusters', () => plotClusters(model, wine, plane)],
    ['proba', () => plotSoftAssignment(model, wine, plane)],
    ['uncertainty', () => plotUncertainty(model, wine, plane)],
    ['density', () => plotDensity(model, wine, plane)],
  ] as const) {
    it(`${kind}: every point and every curve inside the frame, each axis sized to its own data`, () => {
      const svg = draw();
      const [x0, x1, y0, y1] = domain(svg);
      const [left, top, right, bottom] = rect(svg);
      const [cx0, cx1] = range(column(color));
      const [px0, px1] = range(column(proline));
      // Each axis holds its data, and is not blown up by the other axis's scale (the bug drew y from -500 to 500).
      expect(y0!).toBeLessThanOrEqual(cx0);
      expect(y1!).toBeGreaterThanOrEqual(cx1);
      expect(y1! - y0!).toBeLessThan(4 * (cx1 - cx0));
      expect(x0!).toBeLessThanOrEqual(px0);
      expect(x1!).toBeGreaterThanOrEqual(px1);
      expect(x1! - x0!).toBeLessThan(4 * (px1 - px0));
      // Points inside the plot area.
      for (const m of svg.matchAll(/<circle cx="([\d.-]+)" cy="([\d.-]+)" r="[\d.]+" fill="(?!none)[^"]*" fill-opacity/g)) {
        const [cx, cy] = [Number(m[1]), Number(m[2])];
        expect(cx).toBeGreaterThanOrEqual(left!);
        expect(cx).toBeLessThanOrEqual(right!);
        expect(cy).toBeGreaterThanOrEqual(top!);
        expect(cy).toBeLessThanOrEqual(bottom!);
      }
      // Ellipses and contours are whole: no vertex on or beyond the plot area's edge.
      for (const m of svg.matchAll(/<path d="(M[^"]*)" fill="none" stroke="#[0-9a-f]{6}" stroke-width="1\.(?:3|6|4)?[^"]*"/g)) {
        for (const [x, y] of coords(m[1]!)) {
          expect(x).toBeGreaterThan(left!);
          expect(x).toBeLessThan(right!);
          expect(y).toBeGreaterThan(top!);
          expect(y).toBeLessThan(bottom!);
        }
      }
    });
  }

  it('density: the outermost contour encloses every data point (iris, sepals, where it was cut at the right)', () => {
    const sepals = { x: 0, y: 1 };
    for (const [m, data, where] of [
      [model, wine, plane],
      [irisModel, iris, sepals],
    ] as const) {
      const svg = plotDensity(m, data, where);
      const [x0, x1, y0, y1] = domain(svg);
      const [left, top, right, bottom] = rect(svg);
      const outer = /<path d="(M[^"]*)" fill="none" stroke="#[0-9a-f]{6}" stroke-width="1.3"\/>/.exec(svg)![1]!;
      const rings = outer
        .split('Z')
        .filter(Boolean)
        .map((r) => coords(r));
      const toPx = (x: number, y: number): [number, number] => [
        left! + ((x - x0!) / (x1! - x0!)) * (right! - left!),
        bottom! - ((y - y0!) / (y1! - y0!)) * (bottom! - top!),
      ];
      const inside = ([x, y]: [number, number]): boolean => {
        let odd = false;
        for (const ring of rings) {
          for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
            const [xi, yi] = ring[i]!;
            const [xj, yj] = ring[j]!;
            if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) odd = !odd;
          }
        }
        return odd;
      };
      const ix = where.x;
      const iy = where.y;
      const outside = data.filter((row) => !inside(toPx(row[ix]!, row[iy]!)));
      expect(outside).toEqual([]);
    }
  });
});

describe('maxPoints: large data drawn light, counted in full', () => {
  const { X, labels } = makeBlobs({ nSamples: 10_000, nCenters: 3, seed: 4 });
  const circles = (svg: string): number => svg.match(/<circle /g)?.length ?? 0;

  it('draws every m-th point, while legends and titles count every row', () => {
    const all = plotData(X);
    const light = plotData(X, { maxPoints: 1000 });
    expect(circles(all)).toBe(10_000 + 1); // and the legend's dot
    expect(circles(light)).toBe(1000 + 1);
    expect(light).toContain('10000 points');
    const model = new GaussianMixture({ nComponents: 3, seed: 0 }).fit(X);
    const kmeans = new KMeans({ nClusters: 3, seed: 0 }).fit(X);
    const legend = plotKMeans(kmeans, X, { maxPoints: 500 }).match(/cluster \d \((\d+) points\)/g)!;
    const sizes = legend.map((entry) => Number(/\((\d+) points/.exec(entry)![1]));
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(10_000);
    // The soft assignment's title counts uncertain points among all rows, drawn or not.
    const title = (svg: string) => /<title>([^<]*)<\/title>/.exec(svg)![1];
    expect(title(plotSoftAssignment(model, X, { maxPoints: 300 }))).toBe(title(plotSoftAssignment(model, X)));
    expect(circles(plotData(X, { maxPoints: 1000, labels }))).toBe(1000 + 3);
  });

  it('rejects a maxPoints below 1', () => {
    expect(() => plotData(X, { maxPoints: 0 })).toThrow('maxPoints must be a number ≥ 1; got 0');
  });
});

describe('figures of many rows', () => {
  it('plotData colors 300,000 labeled rows without overflowing the call stack', () => {
    const n = 300_000;
    const X = Array.from({ length: n }, (_, i) => [i % 1000, Math.floor(i / 1000)]);
    const labels = Int32Array.from({ length: n }, (_, i) => i % 3);
    const svg = plotData(X, { labels, maxPoints: 100 });
    expect(svg.match(/<circle /g)?.length).toBe(100 + 3);
  });
});

describe('plotRegression', () => {
  // Petal width on petal length (iris): one input, one output.
  const x = iris.map((r) => [r[2]!]);
  const y = iris.map((r) => r[3]!);
  const gmr = new GaussianMixtureRegressor({ nComponents: 3, seed: 0 }).fit(x, y, {
    featureNames: ['petal_length'],
    targetNames: ['petal_width'],
  });

  it('draws the data, the mean curve inside its band, and names the axes', () => {
    const svg = plotRegression(gmr, x, y, { resolution: 50 });
    expect(svg).not.toMatch(/NaN|undefined|Infinity/);
    expect(svg.match(/<circle [^>]*fill-opacity="0.45"/g)).toHaveLength(150); // the data; the legend's dots are not
    expect(svg).toContain('Gaussian mixture regression of petal_width on petal_length');
    expect(svg).toContain('E[petal_width | petal_length], 3 components');
    // The curve's pixels lie between the band's upper and lower edges, point by point.
    const paths = [...svg.matchAll(/<path d="([^"]+)"[^>]*>/g)];
    const coords = (d: string) => [...d.matchAll(/[ML](-?[\d.]+),(-?[\d.]+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
    const band = coords(paths.find((m) => m[1]!.endsWith('Z'))![1]!);
    const curve = coords(paths.find((m) => m[0].includes('stroke="#e15759"'))![1]!);
    expect(curve).toHaveLength(50);
    for (let i = 0; i < 50; i++) {
      const upper = band[i]![1]!;
      const lower = band[band.length - 1 - i]![1]!;
      expect(curve[i]![1]).toBeGreaterThan(upper); // pixels grow downwards
      expect(curve[i]![1]).toBeLessThan(lower);
    }
  });

  it('refuses what it cannot draw', () => {
    const two = GaussianMixtureRegression.fromMixture(irisModel, [0, 1]);
    expect(() => plotRegression(two, iris, y)).toThrow(/a regression with one input/);
    expect(() => plotRegression(gmr, x, y, { output: 1 })).toThrow(/output must be an output index from 0 to 0/);
    expect(() => plotRegression(gmr, x, y.slice(1))).toThrow(InvalidParameterError);
    expect(() => plotRegression(gmr, x, [...y.slice(1), Number.NaN])).toThrow(/y\[149\] must be a finite number/);
    expect(() => plotRegression(gmr, x, y, { band: -1 })).toThrow(/band must be a finite number ≥ 0/);
  });
});

describe('plotWeights and plotClusters minWeight', () => {
  const weights = [0.5, 0.3, 0.195, 0.005];
  it('draws one bar per weight, largest first, and counts those at or above the threshold', () => {
    const svg = plotWeights([
      { label: 'A', weights },
      { label: 'B', weights: [0.25, 0.25, 0.25, 0.25] },
    ]);
    expect(
      svg.match(/<rect x="[^"]+" y="[^"]+" width="[^"]+" height="[^"]+" fill="#[0-9a-f]+" fill-opacity="0.85"\/>/g),
    ).toHaveLength(8);
    expect(svg).toContain('A: 3 of 4 ≥ 0.01');
    expect(svg).toContain('B: 4 of 4 ≥ 0.01');
    expect(svg).toContain('stroke-dasharray="5 4"');
    // Heights in order: the first series' bars shrink left to right.
    const heights = [...svg.matchAll(/<rect x="[^"]+" y="[^"]+" width="[^"]+" height="([^"]+)" fill="#4e79a7"/g)].map((m) =>
      Number(m[1]),
    );
    expect(heights).toHaveLength(4);
    for (let i = 1; i < 4; i++) expect(heights[i]!).toBeLessThan(heights[i - 1]!);
    expect(svg).not.toMatch(/NaN|undefined|Infinity/);
  });
  it('refuses what it cannot draw', () => {
    expect(() => plotWeights([])).toThrow(/series must be at least one/);
    expect(() => plotWeights([{ label: 'A', weights: [0.5, 1.5] }])).toThrow(
      /series\[0\]\.weights\[1\] must be a number in \[0, 1\]/,
    );
    expect(() => plotWeights([{ label: 'A', weights }], { threshold: 2 })).toThrow(/threshold/);
  });
  it('plotClusters leaves out components below minWeight and says how many', () => {
    const X = [
      [0, 0],
      [0.1, 0.2],
      [0.3, 0.1],
      [5, 5],
      [5.2, 5.1],
      [4.9, 5.3],
    ];
    const model = new GaussianMixtureModel(
      {
        covarianceType: 'spherical',
        nComponents: 3,
        nFeatures: 2,
        weights: Float64Array.of(0.5, 0.495, 0.005),
        means: Float64Array.of(0.1, 0.1, 5, 5, 20, 20),
        covariances: Float64Array.of(0.1, 0.1, 1),
        precisionsCholesky: Float64Array.of(1 / Math.sqrt(0.1), 1 / Math.sqrt(0.1), 1),
      },
      { converged: true, nIter: 1, lowerBound: 0, lowerBounds: [0] },
    );
    const all = plotClusters(model, X);
    const some = plotClusters(model, X, { minWeight: 0.01 });
    expect(some).toContain('1 of weight &lt; 0.01 not drawn');
    expect(some).toContain('2 clusters');
    // Its ellipses, mean and legend entry are in the first figure only.
    expect(all).toContain('#e15759');
    expect(some).not.toContain('#e15759');
    expect(all).toContain('component 2 (weight 0.01)');
    // The frame no longer reaches the hidden component at (20, 20).
    expect(all).toMatch(/>20</);
    expect(some).not.toMatch(/>20</);
    expect(() => plotClusters(model, X, { minWeight: -1 })).toThrow(/minWeight/);
  });
});
