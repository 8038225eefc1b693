"""scnn's R-FISTA on a problem folder written by scnn-targets.bench.ts (one JSON line on stdout).

    python3 scnn-reference.py <problem-dir>

The folder holds X.npy (N x p), y.npy (N), G.npy (p x P) and problem.json with our lambda, for
the gated-ReLU program  min_u 1/2 ||sum_i D_i X u_i - y||^2 + lambda sum_i ||u_i||_2,
D_i = diag(1[X g_i >= 0]). scnn scales its squared loss by 1/N, so it gets lambda / N: the same
minimizer. scnn runs as a user runs it: `optimize_model` with its default R-FISTA stop and default
metrics, float32 (its default dtype); `unitize_data=False`, because unitized columns change the
penalty and so the problem (X is already standard normal). The time is the `optimize_model` call
alone (imports and data loading excluded). The objective of scnn's answer is evaluated here in
float64 in our scaling, so the caller can compare it with our certified dual bound.

scnn is imported from wherever Python finds it (a `pip install pyscnn`, or its source on
PYTHONPATH). Exit code 3 with a one-line reason when it (or numpy/torch) cannot be imported.
"""

import json
import os
import sys
import time

CVXPY_PLACEHOLDER = False
try:
    import cvxpy  # noqa: F401
except ImportError:
    # scnn imports cvxpy at import time for its CVXPY-based solvers; R-FISTA never calls it, and
    # Debian packages no cvxpy. A placeholder module lets the import succeed (its names are
    # only evaluated in annotations); any real use of it fails loudly.
    import types

    class _AbsentCvxpy:
        def __init__(self, *args, **kwargs):
            raise RuntimeError("cvxpy is not installed (placeholder from scnn-reference.py)")

    placeholder = types.ModuleType("cvxpy")
    placeholder.__getattr__ = lambda name: _AbsentCvxpy
    sys.modules["cvxpy"] = placeholder
    CVXPY_PLACEHOLDER = True

try:
    import numpy as np
    from scnn.metrics import Metrics
    from scnn.models import ConvexGatedReLU
    from scnn.optimize import optimize_model
    from scnn.regularizers import NeuronGL1
    from scnn.solvers import RFISTA
except Exception as error:  # noqa: BLE001 - any import failure means "scnn is not here"
    print(json.dumps({"available": False, "reason": f"{type(error).__name__}: {error}"}))
    sys.exit(3)


def main(folder: str) -> None:
    X = np.load(os.path.join(folder, "X.npy"))
    y = np.load(os.path.join(folder, "y.npy"))
    G = np.load(os.path.join(folder, "G.npy"))
    with open(os.path.join(folder, "problem.json"), encoding="utf8") as f:
        lam = float(json.load(f)["lambda"])
    N = X.shape[0]
    model = ConvexGatedReLU(G, c=1, bias=False)
    t0 = time.perf_counter()
    model, metrics = optimize_model(
        model,
        RFISTA(model),
        Metrics(),
        X,
        y.reshape(N, 1),
        regularizer=NeuronGL1(lam / N),
        return_convex=True,
        unitize_data=False,
    )
    seconds = time.perf_counter() - t0
    # our objective at scnn's answer, float64: weights are (c, P, p), against the gates of the
    # returned model (scnn reorders and rescales the gates it was given: the same patterns)
    gates = np.asarray(model.G, dtype=np.float64)
    U = np.asarray(model.parameters[0], dtype=np.float64).reshape(gates.shape[1], X.shape[1])
    X64 = X.astype(np.float64)
    D = (X64 @ gates > 0).astype(np.float64)
    pred = np.sum(D * (X64 @ U.T), axis=1)
    objective = 0.5 * float(np.sum((pred - y) ** 2)) + lam * float(np.sum(np.linalg.norm(U, axis=1)))
    print(
        json.dumps(
            {
                "available": True,
                "seconds": seconds,
                "objective": objective,
                "activeNeurons": int(np.sum(np.linalg.norm(U, axis=1) > 0)),
                "metricPoints": int(len(metrics.objective)),
                "cvxpyPlaceholder": CVXPY_PLACEHOLDER,
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1])
