"""scikit-learn's side of `npm run bench`: the same workloads (read from the
files the TypeScript side wrote), timed the same way. EM: GaussianMixture's
own _e_step and _m_step from the same fixed start (the body of its fit loop);
BayesianGaussianMixture the same way from the same one-hot start;
k-means: KMeans(algorithm='lloyd') and (algorithm='elkan', its bounded
exact Lloyd) from the same centers; model selection: the same grid of
GaussianMixture fits and their BIC (fits only, no start-up or parsing).
Prints one JSON object."""
import json, sys, time, warnings
import numpy as np
from sklearn.mixture import BayesianGaussianMixture, GaussianMixture
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA
import sklearn

warnings.filterwarnings("ignore")
spec = json.load(open(sys.argv[1]))
out = {"version": sklearn.__version__, "em": {}, "kmeans": {}, "bayesian": {}}

for job in spec["em"]:
    X = np.fromfile(job["file"], dtype="<f8").reshape(job["n"], job["d"])
    start = job["start"]
    # float32 rows: float32 data and start, so that numpy computes in float32 where scikit-learn keeps the dtype.
    dtype = np.float32 if job.get("dtype") == "float32" else np.float64
    X = X.astype(dtype)
    gm = GaussianMixture(job["k"], covariance_type=job["type"], tol=0, max_iter=job["iters"], reg_covar=1e-6,
                         weights_init=np.asarray(start["weightsInit"], dtype=dtype),
                         means_init=np.asarray(start["meansInit"], dtype=dtype),
                         precisions_init=np.asarray(start["precisionsInit"], dtype=dtype),
                         init_params="random_from_data", random_state=0)
    gm._check_parameters(X)
    gm._initialize_parameters(X, np.random.RandomState(0))
    times = []
    for _ in range(job["iters"]):
        t0 = time.perf_counter()
        log_prob_norm, log_resp = gm._e_step(X)
        gm._m_step(X, log_resp)
        gm._compute_lower_bound(log_resp, log_prob_norm)
        times.append(time.perf_counter() - t0)
    out["em"][job["key"]] = {"median_ms": 1000 * float(np.median(times)), "lower_bound": float(log_prob_norm)}

# Variational inference: BayesianGaussianMixture's own _e_step, _m_step and _compute_lower_bound from one-hot labels.
for job in spec.get("bayesian", []):
    X = np.fromfile(job["file"], dtype="<f8").reshape(job["n"], job["d"])
    labels = np.fromfile(job["labels"], dtype="<i4")
    resp = np.zeros((job["n"], job["k"]))
    resp[np.arange(job["n"]), labels] = 1
    bgm = BayesianGaussianMixture(n_components=job["k"], covariance_type=job["type"], tol=0, max_iter=job["iters"],
                                  reg_covar=1e-6, random_state=0)
    bgm._check_parameters(X)
    bgm._initialize(X, resp)
    times = []
    for _ in range(job["iters"]):
        t0 = time.perf_counter()
        log_prob_norm, log_resp = bgm._e_step(X)
        bgm._m_step(X, log_resp)
        lower_bound = bgm._compute_lower_bound(log_resp, log_prob_norm)
        times.append(time.perf_counter() - t0)
    out["bayesian"][job["key"]] = {"median_ms": 1000 * float(np.median(times)), "lower_bound": float(lower_bound)}

for job in spec["kmeans"]:
    X = np.fromfile(job["file"], dtype="<f8").reshape(job["n"], job["d"])
    centers = np.array(job["centers"])
    def run(max_iter, algorithm):
        km = KMeans(job["k"], init=centers, n_init=1, max_iter=max_iter, tol=0, algorithm=algorithm)
        t0 = time.perf_counter(); km.fit(X); return time.perf_counter() - t0, km.n_iter_
    def per_iteration(algorithm):
        run(1, algorithm)
        t1, _ = min(run(1, algorithm) for _ in range(7))
        tn, iters = min(run(job["iters"], algorithm) for _ in range(7))
        return 1000 * (tn - t1) / max(iters - 1, 1), iters
    lloyd, iters = per_iteration("lloyd")
    elkan, _ = per_iteration("elkan")
    out["kmeans"][job["key"]] = {"ms_per_iteration": lloyd, "elkan_ms_per_iteration": elkan, "iterations": iters}

for job in spec.get("selection", []):
    X = np.fromfile(job["file"], dtype="<f8").reshape(job["n"], job["d"])
    t0 = time.perf_counter()
    cells = []
    for covariance_type in job["types"]:
        for k in job["components"]:
            gm = GaussianMixture(k, covariance_type=covariance_type, n_init=job["nInit"], random_state=0).fit(X)
            cells.append((gm.bic(X), covariance_type, k))
    seconds = time.perf_counter() - t0
    bic, covariance_type, k = min(cells, key=lambda c: c[0])
    out.setdefault("selection", {})[job["key"]] = {"seconds": seconds, "best": f"{covariance_type} k={k}"}

if "digits" in spec:
    X = np.loadtxt(spec["digits"], delimiter=",", skiprows=1)[:, :64]
    times = []
    for _ in range(3):
        t0 = time.perf_counter()
        Y = PCA(0.99, whiten=True).fit_transform(X)
        gm = GaussianMixture(110, covariance_type="full", random_state=0).fit(Y)
        times.append(time.perf_counter() - t0)
    out["digits"] = {"seconds": min(times), "n_iter": int(gm.n_iter_), "dims": int(Y.shape[1])}

print(json.dumps(out))
