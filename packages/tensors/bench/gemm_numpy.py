"""numpy (OpenBLAS) float64 matmul GFLOP/s for the gemm benchmark (gemm.bench.ts spawns it).

    python3 gemm_numpy.py 256 512 1024

Prints one JSON document: per n, the median of timed repetitions of A @ B after a warm-up,
with the same repetition rule as gemm.bench.ts, plus numpy's version and BLAS.
"""
import json
import sys
import time

import numpy as np


def main() -> None:
    sizes = [int(s) for s in sys.argv[1:]]
    budget = float(__import__("os").environ.get("BENCH_BUDGET_MS", "2000"))
    rng = np.random.default_rng(0)
    results = []
    for n in sizes:
        a = rng.uniform(-1, 1, (n, n))
        b = rng.uniform(-1, 1, (n, n))
        t0 = time.perf_counter()
        c = a @ b  # warm-up
        warm = (time.perf_counter() - t0) * 1e3
        reps = max(3, min(15, int(-(-budget // max(warm, 1e-3)))))
        times = []
        for _ in range(reps):
            s = time.perf_counter()
            c = a @ b
            times.append((time.perf_counter() - s) * 1e3)
        med = float(np.median(times))
        results.append(
            {
                "n": n,
                "gflops": round(2 * n**3 / (med * 1e6), 3),
                "medianMs": round(med, 3),
                "minMs": round(min(times), 3),
                "reps": reps,
                "checksum": float(c[0, 0]),
            }
        )
    blas = "unknown"
    try:
        cfg = np.show_config(mode="dicts")  # numpy >= 1.25
        blas = cfg["Build Dependencies"]["blas"]["name"]
    except Exception:  # noqa: BLE001 - older numpy: report the module path only
        blas = "openblas (numpy " + np.__version__ + ")"
    print(json.dumps({"numpy": np.__version__, "blas": blas, "results": results}))


if __name__ == "__main__":
    main()
