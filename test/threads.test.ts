import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import {
  GaussianMixture,
  KMeans,
  NumericalError,
  selectModel,
  selectModelAsync,
  setWorkerFactory,
  setWorkerLimits,
  type CovarianceType,
  type WorkerLike,
} from '../src/node/index.js';
import { workerFactory, workerLimits } from '../src/parallel/workers.js';
import { workerBudget } from '../src/parallel/pool.js';
import { covarianceStrategy } from '../src/mixture/covariance/index.js';
import { mixtureChunkRows } from '../src/engines/mixtureEngine.js';
import { stretchedBlobs } from './helpers/problems.js';

const TYPES: CovarianceType[] = ['full', 'tied', 'diag', 'spherical'];
// 6,000 rows: 12 chunks of 512, split unevenly across 2 and 3 threads.
const X = stretchedBlobs(6000, 3, 3, 1, 5);
const sampleWeight = X.map((_, i) => (i % 7 === 0 ? 0 : 1 + (i % 3)));

describe('fitAsync on worker threads', () => {
  it.each(TYPES)('1, 2 and 3 threads give bit-identical %s models, equal to fit', async (covarianceType) => {
    const gm = new GaussianMixture({ nComponents: 3, covarianceType, nInit: 2, seed: 4 });
    const expected = JSON.stringify(gm.fit(X, { sampleWeight }));
    for (const threads of [1, 2, 3]) expect(JSON.stringify(await gm.fitAsync(X, { sampleWeight, threads }))).toBe(expected);
  });

  it('chunks wide full statistics coarser (1,024 rows, not 512) and stays bit-identical for any thread count', async () => {
    const strategy = covarianceStrategy('full');
    expect(mixtureChunkRows(strategy, 10_000, 12, 32)).toBe(1024);
    expect(mixtureChunkRows(covarianceStrategy('diag'), 10_000, 12, 32)).toBe(512);
    expect(mixtureChunkRows(strategy, 20_000, 16, 64)).toBe(2048);
    expect(mixtureChunkRows(strategy, 1797, 110, 41)).toBe(512); // the digits: no fewer than 8 chunks
    const wide = stretchedBlobs(10_000, 32, 12, 1, 8);
    const gm = new GaussianMixture({ nComponents: 12, maxIter: 6, tol: 0, seed: 1 });
    const expected = JSON.stringify(gm.fit(wide));
    for (const threads of [2, 3]) expect(JSON.stringify(await gm.fitAsync(wide, { threads }))).toBe(expected);
  });

  it('reports every iteration and honours maxIter', async () => {
    const events: number[] = [];
    const model = await new GaussianMixture({ nComponents: 3, tol: 0, maxIter: 7 }).fitAsync(X, {
      threads: 2,
      onIteration: (e) => events.push(e.iteration),
    });
    expect(events).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(model.lowerBounds).toHaveLength(7);
  });

  it('stops when aborted, with the signal’s reason', async () => {
    const controller = new AbortController();
    const fit = new GaussianMixture({ nComponents: 3, tol: 0, maxIter: 1000 }).fitAsync(X, {
      threads: 2,
      signal: controller.signal,
      onIteration: (e) => {
        if (e.iteration === 3) controller.abort(new Error('enough'));
      },
    });
    await expect(fit).rejects.toThrow('enough');
    const already = AbortSignal.abort();
    await expect(new GaussianMixture({ nComponents: 3 }).fitAsync(X, { signal: already })).rejects.toThrow(/abort/i);
  });

  it('lets go of the abort signal when a fit ends, so one signal can serve many fits', async () => {
    const controller = new AbortController();
    for (let i = 0; i < 3; i++)
      await new GaussianMixture({ nComponents: 2, maxIter: 3 }).fitAsync(X, { threads: 2, signal: controller.signal });
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('reports a row whose density underflows, by its index in the whole data', async () => {
    const data = [...X.slice(0, 5000), [1e200, 1e200, 1e200], ...X.slice(5000, 5999)];
    const gm = new GaussianMixture({
      nComponents: 1,
      meansInit: [[0, 0, 0]],
      precisionsInit: [
        [
          [1, 0, 0],
          [0, 1, 0],
          [0, 0, 1],
        ],
      ],
      weightsInit: [1],
    });
    await expect(gm.fitAsync(data, { threads: 2 })).rejects.toThrow(NumericalError);
    await expect(gm.fitAsync(data, { threads: 2 })).rejects.toThrow(/row 5000/);
  });

  it('rejects a bad thread count', async () => {
    await expect(new GaussianMixture().fitAsync(X, { threads: 0 })).rejects.toThrow(/threads must be a positive integer; got 0/);
  });
});

describe('KMeans.fitAsync on worker threads', () => {
  const model = (m: { centers: { data: Float64Array }; labels: Int32Array; inertia: number; nIter: number }) =>
    JSON.stringify([Array.from(m.centers.data), Array.from(m.labels), m.inertia, m.nIter]);

  it.each(['k-means++', 'random'] as const)(
    '1, 2 and 3 threads give bit-identical clusterings (%s), equal to fit',
    async (init) => {
      const km = new KMeans({ nClusters: 5, init, nInit: 2, seed: 3 });
      const expected = model(km.fit(X, { sampleWeight }));
      for (const threads of [1, 2, 3]) expect(model(await km.fitAsync(X, { sampleWeight, threads }))).toBe(expected);
    },
  );

  it('relocates empty clusters as fit does', async () => {
    // 9 clusters for 3 blobs, from centers that leave some clusters empty.
    const far = Array.from({ length: 9 }, (_, c) => (c < 3 ? X[c * 500]! : X[0]!.map((v) => v + 1000 + c)));
    const km = new KMeans({ nClusters: 9, init: far });
    expect(model(await km.fitAsync(X, { threads: 2 }))).toBe(model(km.fit(X)));
  });

  it('stops when aborted, and rejects bad options', async () => {
    await expect(new KMeans({ nClusters: 3 }).fitAsync(X, { signal: AbortSignal.abort() })).rejects.toThrow(/abort/i);
    await expect(new KMeans({ nClusters: 3 }).fitAsync(X, { threads: 0 })).rejects.toThrow(/threads must be a positive integer/);
    await expect(new KMeans({ nClusters: 3 }).fitAsync(X, { thread: 2 } as never)).rejects.toThrow(
      /option "thread" must be a known option name/,
    );
  });
});

describe('one worker pool per job', () => {
  /** Runs `job` with a factory that counts the workers started (and may tamper with them). */
  async function counting<T>(job: () => Promise<T>, tamper?: (worker: WorkerLike) => WorkerLike): Promise<[T, number]> {
    const original = workerFactory();
    let started = 0;
    setWorkerFactory(() => {
      started++;
      const worker = original();
      return tamper ? tamper(worker) : worker;
    });
    try {
      return [await job(), started];
    } finally {
      setWorkerFactory(original);
    }
  }

  it('fitAsync starts the pool once for every restart and the k-means initialization', async () => {
    const gm = new GaussianMixture({ nComponents: 3, nInit: 3, seed: 2 });
    const [model, started] = await counting(() => gm.fitAsync(X, { threads: 2 }));
    expect(started).toBe(2);
    expect(JSON.stringify(model)).toBe(JSON.stringify(gm.fit(X)));
  });

  it('KMeans.fitAsync starts the pool once for all its runs', async () => {
    const km = new KMeans({ nClusters: 4, init: 'random', nInit: 5, seed: 1 });
    const [model, started] = await counting(() => km.fitAsync(X, { threads: 3 }));
    expect(started).toBe(3);
    expect(Array.from(model.labels)).toEqual(Array.from(km.fit(X).labels));
  });

  it('selectModelAsync starts one pool for the whole grid, with the bits of selectModel, whichever way it runs', async () => {
    const options = { nComponents: [1, 2, 3], nInit: 2, sampleWeight };
    const expected = selectModel(X, options);
    for (const [parallelism, workers] of [
      ['cells', 2],
      ['rows', 2],
      ['none', 0],
      ['auto', 0], // 6,000 × 2 × 12 cells × 2 runs is less work than CELLS_ON_WORKERS: the calling thread
    ] as const) {
      const [selection, started] = await counting(() => selectModelAsync(X, { ...options, threads: 2, parallelism }));
      expect([parallelism, started]).toEqual([parallelism, workers]);
      expect(selection.results).toEqual(expected.results);
      expect(JSON.stringify(selection.model)).toBe(JSON.stringify(expected.model));
    }
    await expect(selectModelAsync(X, { parallelism: 'threads' as never })).rejects.toThrow(/parallelism must be one of/);
  });

  it("a grid's cells on workers: weights, standardized columns, a noise component, mclust's models and its start, reported in grid order", async () => {
    const options = {
      nComponents: [1, 2, 3, 4],
      covarianceTypes: ['VVV', 'EEI', 'VII', 'EVE'] as CovarianceType[],
      nInit: 1,
      initParams: 'hc' as const,
      standardize: true,
      noise: true,
      sampleWeight,
      featureNames: ['a', 'b', 'c'],
      seed: 7,
    };
    const seen: string[] = [];
    const expected = selectModel(X, {
      ...options,
      onResult: (r, done, total) => seen.push(`${done}/${total} ${r.covarianceType} ${r.nComponents}`),
    });
    const reported: string[] = [];
    const selection = await selectModelAsync(X, {
      ...options,
      threads: 3,
      parallelism: 'cells',
      onResult: (r, done, total) => reported.push(`${done}/${total} ${r.covarianceType} ${r.nComponents}`),
    });
    expect(reported).toEqual(seen);
    expect(selection.results).toEqual(expected.results);
    expect(JSON.stringify(selection.model)).toBe(JSON.stringify(expected.model));
    expect(selection.model.featureNames).toEqual(['a', 'b', 'c']);
    expect(selection.model.predictProba(X.slice(0, 50)).data).toEqual(expected.model.predictProba(X.slice(0, 50)).data);
    // A cell that cannot be fitted (more components than rows) is reported, as on the calling thread.
    const few = X.slice(0, 3);
    const failing = { nComponents: [1, 5], covarianceTypes: ['spherical', 'diag'] as CovarianceType[], nInit: 1 };
    const onThread = selectModel(few, failing);
    const onWorkers = await selectModelAsync(few, { ...failing, threads: 2, parallelism: 'cells' });
    expect(onWorkers.results).toEqual(onThread.results);
    expect(onWorkers.results[1]!.error).toMatch(/5/);
    expect(workerBudget().inUse).toBe(0);
  });

  it('an aborted grid on workers rejects with the reason and stops its workers', async () => {
    const controller = new AbortController();
    const grid = selectModelAsync(X, {
      nComponents: [1, 2, 3, 4, 5, 6],
      nInit: 3,
      threads: 2,
      parallelism: 'cells',
      signal: controller.signal,
      onResult: (_, done) => {
        if (done === 2) controller.abort(new Error('enough of the grid'));
      },
    });
    await expect(grid).rejects.toThrow('enough of the grid');
    expect(workerBudget().inUse).toBe(0);
  });

  it('starts no more workers than the data has 512-row chunks for', async () => {
    const small = X.slice(0, 700);
    const gm = new GaussianMixture({ nComponents: 2, seed: 0 });
    const [model, started] = await counting(() => gm.fitAsync(small, { threads: 3 }));
    expect(started).toBe(2);
    expect(JSON.stringify(model)).toBe(JSON.stringify(gm.fit(small)));
  });

  it('fits data of one chunk (≤ 512 rows) on the calling thread, letting the event loop run', async () => {
    const small = X.slice(0, 400);
    // Long enough (hundreds of ms) that a job blocking the thread would let no timer run.
    const options = { nComponents: [1, 2, 3, 4, 5, 6, 7, 8], nInit: 6, tol: 0, maxIter: 30 };
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const [selection, started] = await counting(() => selectModelAsync(small, { ...options, threads: 2 })).finally(() =>
      clearInterval(timer),
    );
    expect(started).toBe(0);
    expect(ticks).toBeGreaterThan(3);
    expect(JSON.stringify(selection.model)).toBe(JSON.stringify(selectModel(small, options).model));
  });

  it('rejects, instead of waiting forever, when a worker exits in the middle of a fit', async () => {
    const dying = (worker: WorkerLike): WorkerLike => ({
      ...worker,
      postMessage: (message, transfer) => {
        if (message.type === 'estep') worker.terminate();
        else worker.postMessage(message, transfer);
      },
    });
    const fit = counting(() => new GaussianMixture({ nComponents: 2 }).fitAsync(X, { threads: 2 }), dying);
    await expect(fit).rejects.toThrow(/a worker thread exited unexpectedly \(exit code 1\)/);
  });
});

describe('one bounded budget of workers for every job, and a watchdog', () => {
  /** Runs `job` under these limits with a factory that tracks the workers alive (and may tamper with them). */
  async function limited<T>(
    limits: Parameters<typeof setWorkerLimits>[0],
    job: () => Promise<T>,
    tamper?: (worker: WorkerLike) => WorkerLike,
  ): Promise<{ result: T; started: number; mostAlive: number }> {
    const original = workerFactory();
    const before = workerLimits();
    let started = 0;
    let alive = 0;
    let mostAlive = 0;
    setWorkerFactory(() => {
      started++;
      mostAlive = Math.max(mostAlive, ++alive);
      const worker = original();
      let ended = false;
      const tracked: WorkerLike = {
        ...worker,
        terminate: () => {
          if (!ended) alive--;
          ended = true;
          worker.terminate();
        },
      };
      return tamper ? tamper(tracked) : tracked;
    });
    setWorkerLimits(limits);
    try {
      return { result: await job(), started, mostAlive };
    } finally {
      setWorkerFactory(original);
      setWorkerLimits(before);
    }
  }

  it('12 concurrent fitAsync calls share 3 workers, each with the bits of fit', async () => {
    const gm = new GaussianMixture({ nComponents: 3, seed: 1 });
    const expected = JSON.stringify(gm.fit(X));
    const { result, started, mostAlive } = await limited({ maxWorkers: 3 }, () =>
      Promise.all(Array.from({ length: 12 }, () => gm.fitAsync(X, { threads: 2 }))),
    );
    expect(result.map((m) => JSON.stringify(m))).toEqual(Array(12).fill(expected));
    expect(mostAlive).toBeLessThanOrEqual(3);
    expect(started).toBeGreaterThanOrEqual(12); // every job got at least one
    expect(workerBudget()).toEqual({ inUse: 0, waiting: 0 });
  });

  it('a job waiting for workers can be aborted; the others go on', async () => {
    const gm = new GaussianMixture({ nComponents: 3, seed: 1, tol: 0, maxIter: 40 });
    const controller = new AbortController();
    const { result } = await limited({ maxWorkers: 1 }, async () => {
      const first = gm.fitAsync(X, { threads: 2 });
      const second = gm.fitAsync(X, { threads: 2, signal: controller.signal });
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(workerBudget()).toEqual({ inUse: 1, waiting: 1 });
      controller.abort(new Error('not needed'));
      await expect(second).rejects.toThrow('not needed');
      return first;
    });
    expect(JSON.stringify(result)).toBe(JSON.stringify(gm.fit(X)));
    expect(workerBudget()).toEqual({ inUse: 0, waiting: 0 });
  });

  it('the watchdog rejects a fit whose worker never replies, stops its workers and frees the budget', async () => {
    const silent = (worker: WorkerLike): WorkerLike => ({
      ...worker,
      postMessage: (message, transfer) => {
        if (message.type !== 'estep') worker.postMessage(message, transfer); // an E-step request is never answered
      },
    });
    const started = performance.now();
    let inUseAfter = -1;
    await expect(
      limited(
        { replyTimeoutMs: 300 },
        async () => {
          try {
            return await new GaussianMixture({ nComponents: 2 }).fitAsync(X, { threads: 2 });
          } finally {
            inUseAfter = workerBudget().inUse;
          }
        },
        silent,
      ),
    ).rejects.toThrow(/a worker thread did not reply within 300 ms \(setWorkerLimits' replyTimeoutMs\)/);
    expect(performance.now() - started).toBeLessThan(5000);
    expect(inUseAfter).toBe(0); // the watchdog had closed the pool before the fit rejected
    expect(workerBudget()).toEqual({ inUse: 0, waiting: 0 });
  });

  it('checks its limits', () => {
    expect(() => setWorkerLimits({ maxWorkers: 0 })).toThrow(/maxWorkers/);
    expect(() => setWorkerLimits({ replyTimeoutMs: -1 })).toThrow(/replyTimeoutMs/);
    expect(() => setWorkerLimits({ maxWorker: 2 } as never)).toThrow(/maxWorker/);
    expect(workerLimits().replyTimeoutMs).toBe(600_000);
  });
});
