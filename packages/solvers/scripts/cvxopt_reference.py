#!/usr/bin/env python3
"""Reference optimum of a group lasso from CVXOPT's interior-point solvers.

    minimize  F(A x) + lam * sum_g w_g ||x_g||_2

Usage: cvxopt_reference.py DIR

DIR holds problem.json and X.npy (the dense design A, float64, rows x cols, C order).
problem.json: {"rows", "cols", "ptr": [G+1 offsets], "weights": [G], "lambda",
"loss": "squared" | "logistic", "targets": [rows] (squared: y; logistic: labels +-1),
"scaling": "sum" | "mean", "samples": N, "tolerance": "default" | "tight"}.

Squared loss: a cone QP (cvxopt.solvers.coneqp) over (x, t, r) with r = A x - y when
rows < cols, over (x, t) with the Gram matrix otherwise. Logistic loss: cvxopt.solvers.cp
with the second-order cone constraints ||x_g|| <= t_g (no exponential cone needed).

Prints one JSON object: objective (P evaluated in float64 at CVXOPT's x), cvxoptObjective,
status, iterations, seconds (the solver call only), x.
"""
import json
import sys
import time

import numpy as np
from cvxopt import matrix, solvers, spmatrix


def group_penalty(x, ptr, w):
    return float(sum(w[g] * np.linalg.norm(x[ptr[g]:ptr[g + 1]]) for g in range(len(w))))


def objective(A, x, spec, ptr, w):
    f = 1.0 / spec["samples"] if spec.get("scaling", "sum") == "mean" else 1.0
    yhat = A @ x
    t = np.asarray(spec["targets"], dtype=float)
    if spec["loss"] == "squared":
        F = 0.5 * f * float(np.sum((yhat - t) ** 2))
    else:
        F = f * float(np.sum(np.logaddexp(0.0, -t * yhat)))
    return F + spec["lambda"] * group_penalty(x, ptr, w)


def cone_constraints(p, ptr, nvar):
    """G, h, dims for (t_g, x_g) in SOC; variables are [x (p), t (G), ...] of length nvar."""
    G_count = len(ptr) - 1
    I, J, V = [], [], []
    row = 0
    for g in range(G_count):
        I.append(row); J.append(p + g); V.append(-1.0)
        row += 1
        for j in range(ptr[g], ptr[g + 1]):
            I.append(row); J.append(j); V.append(-1.0)
            row += 1
    Gm = spmatrix(V, I, J, (row, nvar))
    h = matrix(0.0, (row, 1))
    dims = {"l": 0, "q": [ptr[g + 1] - ptr[g] + 1 for g in range(G_count)], "s": []}
    return Gm, h, dims


def solve_squared(A, spec, ptr, w):
    m, p = A.shape
    G_count = len(w)
    f = 1.0 / spec["samples"] if spec.get("scaling", "sum") == "mean" else 1.0
    y = np.asarray(spec["targets"], dtype=float)
    lam = spec["lambda"]
    if m < p:
        n = p + G_count + m
        P = spmatrix([f] * m, list(range(p + G_count, n)), list(range(p + G_count, n)), (n, n))
        q = matrix(np.concatenate([np.zeros(p), lam * w, np.zeros(m)]))
        Aeq = matrix(np.hstack([A, np.zeros((m, G_count)), -np.eye(m)]))
        beq = matrix(y)
        Gm, h, dims = cone_constraints(p, ptr, n)
        t0 = time.perf_counter()
        sol = solvers.coneqp(P, q, Gm, h, dims, Aeq, beq)
    else:
        n = p + G_count
        Pd = np.zeros((n, n))
        Pd[:p, :p] = f * (A.T @ A)
        P = matrix(Pd)
        q = matrix(np.concatenate([-f * (A.T @ y), lam * w]))
        Gm, h, dims = cone_constraints(p, ptr, n)
        t0 = time.perf_counter()
        sol = solvers.coneqp(P, q, Gm, h, dims)
    seconds = time.perf_counter() - t0
    if m >= p and sol["primal objective"] is not None:
        sol["primal objective"] += 0.5 * f * float(y @ y)  # the constant the Gram form drops
    x = np.array(sol["x"]).ravel()[:p]
    return x, sol, seconds


def solve_logistic(A, spec, ptr, w):
    m, p = A.shape
    G_count = len(w)
    f = 1.0 / spec["samples"] if spec.get("scaling", "sum") == "mean" else 1.0
    y = np.asarray(spec["targets"], dtype=float)
    lam = spec["lambda"]
    n = p + G_count
    YA = y[:, None] * A  # margins m_i = y_i a_i^T x

    def F(v=None, z=None):
        if v is None:
            x0 = np.zeros(n)
            x0[p:] = 1.0
            return 0, matrix(x0)
        v = np.array(v).ravel()
        x = v[:p]
        marg = YA @ x
        val = f * float(np.sum(np.logaddexp(0.0, -marg))) + lam * float(w @ v[p:])
        sig = 0.5 * (1.0 - np.tanh(0.5 * marg))  # sigmoid(-marg), stable
        grad = np.concatenate([-f * (YA.T @ sig), lam * w])
        Df = matrix(grad, (1, n))
        if z is None:
            return val, Df
        hdiag = f * sig * (1.0 - sig)
        H = np.zeros((n, n))
        H[:p, :p] = z[0] * (YA.T @ (hdiag[:, None] * YA))
        return val, Df, matrix(H)

    Gm, h, dims = cone_constraints(p, ptr, n)
    t0 = time.perf_counter()
    sol = solvers.cp(F, Gm, h, dims)
    seconds = time.perf_counter() - t0
    x = np.array(sol["x"]).ravel()[:p]
    return x, sol, seconds


def main():
    if len(sys.argv) != 2:
        print("usage: cvxopt_reference.py DIR", file=sys.stderr)
        sys.exit(2)
    folder = sys.argv[1]
    with open(f"{folder}/problem.json") as fh:
        spec = json.load(fh)
    A = np.load(f"{folder}/X.npy")
    if A.shape != (spec["rows"], spec["cols"]):
        raise SystemExit(f"X.npy has shape {A.shape}, problem.json says {(spec['rows'], spec['cols'])}")
    ptr = [int(v) for v in spec["ptr"]]
    w = np.asarray(spec["weights"], dtype=float)
    solvers.options["show_progress"] = False
    if spec.get("tolerance", "default") == "tight":
        solvers.options["abstol"] = 1e-11
        solvers.options["reltol"] = 1e-11
        solvers.options["feastol"] = 1e-11
        solvers.options["maxiters"] = 200
    if spec["loss"] == "squared":
        x, sol, seconds = solve_squared(A, spec, ptr, w)
    elif spec["loss"] == "logistic":
        x, sol, seconds = solve_logistic(A, spec, ptr, w)
    else:
        raise SystemExit(f"unsupported loss {spec['loss']!r}")
    out = {
        "objective": objective(A, x, spec, ptr, w),
        "cvxoptObjective": float(sol["primal objective"]),
        "status": sol["status"],
        "iterations": int(sol.get("iterations", -1) or -1),
        "seconds": seconds,
        "x": x.tolist(),
    }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
