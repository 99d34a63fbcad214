"""scikit-learn baseline for the cluster figures of `npm run bench` (scripts/bench/suite-cluster.ts).

Loads a raw little-endian float64 matrix (n x d, row-major) written by the TypeScript side, times
scikit-learn on it with time.perf_counter (data loading is not timed) and prints one JSON object on
stdout. The thread count is whatever the environment allows (suite-cluster.ts runs this script once
with OMP_NUM_THREADS=1 / OPENBLAS_NUM_THREADS=1 and once with the defaults); the threads actually
used are read back with threadpoolctl and reported.

  /usr/bin/python3 cluster_sklearn.py kmeans --data X.f64 --n N --d D --k 8 --n-init 10 \
      --max-iter 300 --tol 1e-4 --seed 42 --runs 5 --warmup 1
  /usr/bin/python3 cluster_sklearn.py silhouette --data X.f64 --labels L.i32 --n N --d D --runs 3 --warmup 0
"""

import argparse
import json
import os
import statistics
import sys
import time

try:
    import numpy as np
    import sklearn
    from sklearn.cluster import KMeans
    from sklearn.metrics import silhouette_score
except ImportError as error:
    sys.exit(
        f"cluster_sklearn.py: cannot import scikit-learn/numpy with {sys.executable} ({error}); "
        "install it with: apt-get install -y python3-sklearn"
    )


def threads() -> dict:
    """Threads each native pool (OpenMP, BLAS) will use, and the count sklearn's Cython loops use."""
    out: dict = {}
    try:
        from threadpoolctl import threadpool_info

        for pool in threadpool_info():
            out[pool["user_api"]] = max(out.get(pool["user_api"], 0), pool["num_threads"])
    except ImportError:
        out["threadpoolctl"] = "missing"
    try:
        # Private, but it is exactly the count KMeans' Lloyd loop runs with.
        from sklearn.utils._openmp_helpers import _openmp_effective_n_threads

        out["sklearn_openmp"] = _openmp_effective_n_threads()
    except ImportError:
        pass
    return out


def load(path: str, n: int, d: int, dtype: str) -> np.ndarray:
    data = np.fromfile(path, dtype=dtype)
    expected = n * d
    if data.size != expected:
        sys.exit(f"cluster_sklearn.py: {path} holds {data.size} values, expected {n} x {d} = {expected}")
    return data.reshape(n, d) if d > 1 else data


def timed(fn, runs: int, warmup: int):
    """Median wall time in ms over `runs` calls after `warmup` unmeasured ones, the wall and CPU times
    (process CPU time: every thread's, so a busy machine shows as wall above CPU), and the last result."""
    result = None
    for _ in range(warmup):
        result = fn()
    times = []
    cpu = []
    for _ in range(runs):
        start = time.perf_counter()
        start_cpu = time.process_time()
        result = fn()
        cpu.append((time.process_time() - start_cpu) * 1000)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), times, cpu, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("task", choices=["kmeans", "silhouette"])
    parser.add_argument("--data", required=True)
    parser.add_argument("--labels")
    parser.add_argument("--n", type=int, required=True)
    parser.add_argument("--d", type=int, required=True)
    parser.add_argument("--k", type=int, default=8)
    parser.add_argument("--n-init", type=int, default=10)
    parser.add_argument("--max-iter", type=int, default=300)
    parser.add_argument("--tol", type=float, default=1e-4)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=1)
    args = parser.parse_args()

    X = load(args.data, args.n, args.d, "<f8")
    out = {
        "task": args.task,
        "sklearn": sklearn.__version__,
        "numpy": np.__version__,
        "threads": threads(),
        "env": {name: os.environ.get(name) for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS")},
        "runs": args.runs,
        "warmup": args.warmup,
    }
    if args.task == "kmeans":
        model = KMeans(
            n_clusters=args.k,
            init="k-means++",
            n_init=args.n_init,
            max_iter=args.max_iter,
            tol=args.tol,
            algorithm="lloyd",
            random_state=args.seed,
        )
        median, times, cpu, fitted = timed(lambda: model.fit(X), args.runs, args.warmup)
        out.update(medianMs=median, timesMs=times, cpuMs=cpu, inertia=float(fitted.inertia_), iterations=int(fitted.n_iter_))
    else:
        if not args.labels:
            sys.exit("cluster_sklearn.py: silhouette needs --labels L.i32 (int32 labels, one per point)")
        labels = load(args.labels, args.n, 1, "<i4")
        median, times, cpu, score = timed(
            lambda: silhouette_score(X, labels, metric="euclidean"), args.runs, args.warmup
        )
        out.update(medianMs=median, timesMs=times, cpuMs=cpu, score=float(score))
    print(json.dumps(out))


if __name__ == "__main__":
    main()
