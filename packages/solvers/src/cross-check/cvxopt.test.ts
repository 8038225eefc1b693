import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createRng, Matrix } from "@convexformer/tensors";
import { describe, expect, it } from "vitest";
import type { CompositeProblem } from "../composite-problem.js";
import { createProblem } from "../create-problem.js";
import { lambdaMax } from "../lambda-max.js";
import { logisticLoss } from "../losses/logistic-loss.js";
import { squaredLoss } from "../losses/squared-loss.js";
import { denseOperator } from "../operators/dense-operator.js";
import { getSolver } from "../registry.js";
import { groupL2 } from "../regularizers/group-l2.js";

// CVXOPT's interior point as an outside reference for the three solvers (issue 3, item 8).
const PYTHON = "/usr/bin/python3";
const SCRIPT = resolve(
  dirname(fileURLToPath(import.meta.url)),
  "../../scripts/cvxopt_reference.py",
);
const required = process.env.CONVEXFORMER_REQUIRE_CVXOPT === "1";
const probe = spawnSync(PYTHON, ["-c", "import cvxopt, numpy"], { encoding: "utf8" });
const available = probe.status === 0;
const reason = available
  ? ""
  : ` (skipped: ${PYTHON} cannot import cvxopt and numpy; set CONVEXFORMER_REQUIRE_CVXOPT=1 to fail instead)`;
if (!available && !required) console.warn(`cvxopt cross-check${reason}`);

/** A minimal .npy (v1.0, little-endian float64, C order) writer. */
function npy(rows: number, cols: number, data: Float64Array): Buffer {
  let header = `{'descr': '<f8', 'fortran_order': False, 'shape': (${rows}, ${cols}), }`;
  const total = 10 + header.length + 1;
  header += `${" ".repeat((64 - (total % 64)) % 64)}\n`;
  const head = Buffer.alloc(10);
  head.write("\x93NUMPY", 0, "latin1");
  head[6] = 1;
  head[7] = 0;
  head.writeUInt16LE(header.length, 8);
  const body = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.concat([head, Buffer.from(header, "latin1"), body]);
}

interface Instance {
  readonly label: string;
  readonly problem: CompositeProblem;
  readonly matrix: Matrix;
  readonly targets: Float64Array;
  readonly ptr: Int32Array;
  readonly weights: Float64Array;
  readonly scaling: "sum" | "mean";
}

function makeInstance(
  index: number,
  loss: "squared" | "logistic",
  rows: number,
  cols: number,
  groupSize: number,
): Instance {
  const rng = createRng(1000 + index);
  const matrix = new Matrix(rows, cols, rng.fillNormal(new Float64Array(rows * cols)));
  const groups = cols / groupSize;
  const weights = new Float64Array(groups);
  for (let g = 0; g < groups; g++) weights[g] = 0.5 + rng.uniform();
  const ptr = new Int32Array(groups + 1);
  for (let g = 0; g <= groups; g++) ptr[g] = g * groupSize;
  // sparse ground truth plus noise
  const truth = new Float64Array(cols);
  for (let g = 0; g < groups; g++) {
    if (rng.uniform() < 0.3)
      for (let j = g * groupSize; j < (g + 1) * groupSize; j++) truth[j] = rng.normal();
  }
  const signal = new Float64Array(rows);
  denseOperator(matrix).apply(truth, signal);
  const scaling = index % 3 === 0 ? "mean" : "sum";
  const targets =
    loss === "squared"
      ? Float64Array.from(signal, (s) => s + 0.5 * rng.normal())
      : Float64Array.from(signal, (s) => (s + 0.5 * rng.normal() >= 0 ? 1 : -1));
  const smooth =
    loss === "squared" ? squaredLoss(targets, { scaling }) : logisticLoss(targets, { scaling });
  const parts = {
    operator: denseOperator(matrix),
    loss: smooth,
    regularizer: groupL2({ ptr, weights }),
  };
  const lmax = lambdaMax(createProblem({ ...parts, lambda: 1 }));
  const fraction = [0.05, 0.1, 0.3, 0.6][index % 4] as number;
  const problem = createProblem({ ...parts, lambda: fraction * lmax });
  return {
    label: `#${index} ${loss} ${rows}×${cols} λ=${fraction}λmax ${scaling}`,
    problem,
    matrix,
    targets,
    ptr,
    weights,
    scaling,
  };
}

function cvxoptObjective(instance: Instance): { objective: number; status: string } {
  const dir = mkdtempSync(join(tmpdir(), "convexformer-cvxopt-"));
  try {
    const { problem, matrix } = instance;
    writeFileSync(join(dir, "X.npy"), npy(matrix.rows, matrix.cols, matrix.data));
    writeFileSync(
      join(dir, "problem.json"),
      JSON.stringify({
        rows: matrix.rows,
        cols: matrix.cols,
        ptr: Array.from(instance.ptr),
        weights: Array.from(instance.weights),
        lambda: problem.lambda,
        loss: problem.loss.name,
        targets: Array.from(instance.targets),
        scaling: instance.scaling,
        samples: problem.loss.samples,
        tolerance: "tight",
      }),
    );
    const run = spawnSync(PYTHON, [SCRIPT, dir], { encoding: "utf8", timeout: 60_000 });
    if (run.status !== 0) throw new Error(`cvxopt_reference.py failed: ${run.stderr}`);
    const out = JSON.parse(run.stdout) as { objective: number; status: string };
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const SHAPES: readonly [number, number, number][] = [
  [20, 40, 4], // N < p
  [40, 16, 2], // N > p
  [30, 60, 3], // N < p
  [50, 20, 4], // N > p
  [25, 25, 5],
  [36, 12, 1], // ℓ1 (groups of one)
];

const instances: Instance[] = [];
for (let k = 0; k < 24; k++) {
  const [rows, cols, g] = SHAPES[k % SHAPES.length] as [number, number, number];
  instances.push(makeInstance(k, k < 12 ? "squared" : "logistic", rows, cols, g));
}

describe("CVXOPT cross-check: FISTA, ADMM and IPM agree with CVXOPT's optimum to 1e-6 relative", () => {
  if (!available && required) {
    it("has CVXOPT available (CONVEXFORMER_REQUIRE_CVXOPT=1)", () => {
      expect.fail(`${PYTHON} cannot import cvxopt and numpy: ${probe.stderr}`);
    });
    return;
  }
  it.skipIf(!available)(`covers squared and logistic losses, N < p and N > p${reason}`, () => {
    const kinds = new Set(
      instances.map(
        (i) => `${i.problem.loss.name}:${i.matrix.rows < i.matrix.cols ? "N<p" : "N>=p"}`,
      ),
    );
    expect(instances.length).toBeGreaterThanOrEqual(20);
    expect([...kinds].sort()).toEqual([
      "logistic:N<p",
      "logistic:N>=p",
      "squared:N<p",
      "squared:N>=p",
    ]);
  });
  for (const instance of instances) {
    it.skipIf(!available)(`${instance.label}${reason}`, () => {
      const reference = cvxoptObjective(instance);
      for (const name of ["fista", "admm", "ipm"] as const) {
        const result = getSolver(name).solve(instance.problem, {
          tolerance: 1e-10,
          maxIterations: 200_000,
        });
        const scale = Math.max(1, Math.abs(reference.objective));
        const diff = Math.abs(result.objective - reference.objective) / scale;
        expect(
          diff,
          `${name}: ${result.objective} vs cvxopt ${reference.objective} (${result.status})`,
        ).toBeLessThan(1e-6);
        // our certificate is a lower bound for CVXOPT's primal value too
        expect(result.dualObjective).toBeLessThanOrEqual(reference.objective + 1e-9 * scale);
      }
    });
  }
});
