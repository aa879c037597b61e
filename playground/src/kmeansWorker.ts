/**
 * k-means off the main thread (the library's own worker pool serves the
 * mixture's E-steps; k-means has no worker path, so the playground gives it
 * this one).
 */
import { KMeans, matrix } from 'gmm';

export interface KMeansRequest {
  rows: number;
  data: Float64Array;
  k: number;
  seed: number;
}

export type KMeansReply =
  | { ok: true; centers: Float64Array; labels: Int32Array; inertia: number; nIter: number; converged: boolean }
  | { ok: false; message: string };

const scope = globalThis as unknown as {
  onmessage: ((event: MessageEvent<KMeansRequest>) => void) | null;
  postMessage(message: KMeansReply): void;
};

scope.onmessage = ({ data: { rows, data, k, seed } }) => {
  try {
    const model = new KMeans({ nClusters: k, seed }).fit(matrix(rows, 2, data));
    scope.postMessage({
      ok: true,
      centers: model.centers.data,
      labels: model.labels,
      inertia: model.inertia,
      nIter: model.nIter,
      converged: model.converged,
    });
  } catch (e) {
    scope.postMessage({ ok: false, message: e instanceof Error ? e.message : String(e) });
  }
};
