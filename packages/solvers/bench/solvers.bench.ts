/**
 * Solver benchmark (issue 3, item 9): seconds and iterations to relative duality gaps 1e-4,
 * 1e-6, 1e-8 for every registered solver (with and without screening / working sets where a
 * solver has them) and CVXOPT's time on the same instance, measured in the same run.
 *
 *     node --import tsx packages/solvers/bench/solvers.bench.ts [--sizes small,medium,large]
 *         [--solvers fista,admm,ipm] [--time-limit-s 600] [--cvxopt-timeout-s 600] [--no-cvxopt]
 *
 * Instances: dense Gaussian design, equal groups, y = A x★ + noise with 10% of the groups of
 * x★ nonzero, squared loss (sum), λ = 0.1 λ_max. One JSON document on stdout; progress on stderr.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createRng, Matrix } from "@convexformer/tensors";
import {
  type CompositeProblem,
  certify,
  createProblem,
  denseOperator,
  getSolver,
  groupL2,
  type IterationRecord,
  lambdaMax,
  listSolvers,
  squaredLoss,
} from "../src/index.js";

const SIZES = {
  small: { rows: 200, cols: 200, groups: 40 },
  medium: { rows: 2000, cols: 5000, groups: 100 },
  large: { rows: 20000, cols: 2000, groups: 200 },
} as const;
type SizeName = keyof typeof SIZES;
const LEVELS = [1e-4, 1e-6, 1e-8] as const;

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const sizes = (arg("--sizes") ?? "small,medium,large").split(",") as SizeName[];
for (const s of sizes)
  if (!(s in SIZES)) throw new Error(`unknown size ${s}; known: ${Object.keys(SIZES).join(", ")}`);
const solverNames = (arg("--solvers") ?? listSolvers().join(",")).split(",");
const timeLimitS = Number(arg("--time-limit-s") ?? 600);
const cvxoptTimeoutS = Number(arg("--cvxopt-timeout-s") ?? 600);
const runCvxopt = !process.argv.includes("--no-cvxopt");
const log = (msg: string): void => {
  process.stderr.write(`[bench:solvers] ${msg}\n`);
};

/** Variants per solver: defaults, and without screening / working set where it has them. */
const VARIANTS: Record<string, readonly { label: string; options: Record<string, unknown> }[]> = {
  fista: [
    { label: "default", options: {} },
    { label: "no-screening-no-working-set", options: { screening: false, workingSet: false } },
  ],
  ipm: [
    { label: "default", options: {} },
    { label: "no-screening-no-working-set", options: { screening: false, workingSet: false } },
  ],
  admm: [{ label: "default", options: {} }],
};

function instance(size: SizeName) {
  const { rows, cols, groups } = SIZES[size];
  const rng = createRng(2024);
  const matrix = new Matrix(rows, cols, rng.fillNormal(new Float64Array(rows * cols)));
  const groupSize = cols / groups;
  const truth = new Float64Array(cols);
  const active = rng.permutation(groups).slice(0, Math.max(1, Math.round(groups / 10)));
  for (const g of active)
    for (let j = g * groupSize; j < (g + 1) * groupSize; j++) truth[j] = rng.normal();
  const y = new Float64Array(rows);
  denseOperator(matrix).apply(truth, y);
  for (let i = 0; i < rows; i++) y[i] = (y[i] as number) + 0.5 * rng.normal();
  const parts = {
    operator: denseOperator(matrix),
    loss: squaredLoss(y),
    regularizer: groupL2({ sizes: new Array(groups).fill(groupSize) }),
  };
  const lmax = lambdaMax(createProblem({ ...parts, lambda: 1 }));
  const problem = createProblem({ ...parts, lambda: 0.1 * lmax });
  return { problem, matrix, y, groupSize, groups, lambdaMax: lmax };
}

function levelsReached(history: readonly IterationRecord[]) {
  return LEVELS.map((level) => {
    const hit = history.find((r) => r.relativeGap <= level);
    return {
      gap: level,
      seconds: hit === undefined ? null : hit.elapsedMs / 1000,
      iterations: hit?.iteration ?? null,
    };
  });
}

function runSolver(problem: CompositeProblem, name: string, options: Record<string, unknown>) {
  const records: IterationRecord[] = [];
  const solver = getSolver(name);
  const t0 = performance.now();
  const result = solver.solve(problem, {
    tolerance: 1e-8,
    timeLimitMs: timeLimitS * 1000,
    onIteration: (r: IterationRecord) => records.push(r),
    ...options,
  } as never);
  const seconds = (performance.now() - t0) / 1000;
  // the final (re-certified) result counts as a record too
  records.push({
    iteration: result.iterations,
    objective: result.objective,
    dualObjective: result.dualObjective,
    relativeGap: result.relativeGap,
    elapsedMs: result.timings.totalMs,
  });
  let activeGroups = 0;
  const groups = problem.regularizer.groups;
  if (groups !== undefined) {
    for (let g = 0; g < groups.count; g++) {
      for (let j = groups.ptr[g] as number; j < (groups.ptr[g + 1] as number); j++) {
        if (result.x[j] !== 0) {
          activeGroups++;
          break;
        }
      }
    }
  }
  return {
    status: result.status,
    seconds,
    setupSeconds: result.timings.setupMs / 1000,
    iterations: result.iterations,
    objective: result.objective,
    relativeGap: result.relativeGap,
    kktResidual: result.kktResidual,
    activeGroups,
    levels: levelsReached(records),
  };
}

function npy(rows: number, cols: number, data: Float64Array): Buffer {
  let header = `{'descr': '<f8', 'fortran_order': False, 'shape': (${rows}, ${cols}), }`;
  const total = 10 + header.length + 1;
  header += `${" ".repeat((64 - (total % 64)) % 64)}\n`;
  const head = Buffer.alloc(10);
  head.write("\x93NUMPY", 0, "latin1");
  head[6] = 1;
  head[7] = 0;
  head.writeUInt16LE(header.length, 8);
  return Buffer.concat([
    head,
    Buffer.from(header, "latin1"),
    Buffer.from(data.buffer, data.byteOffset, data.byteLength),
  ]);
}

function runCvxoptOn(inst: ReturnType<typeof instance>) {
  const script = resolve(dirname(fileURLToPath(import.meta.url)), "../scripts/cvxopt_reference.py");
  const dir = mkdtempSync(join(tmpdir(), "convexformer-bench-"));
  try {
    const { matrix, problem, y, groups, groupSize } = inst;
    writeFileSync(join(dir, "X.npy"), npy(matrix.rows, matrix.cols, matrix.data));
    writeFileSync(
      join(dir, "problem.json"),
      JSON.stringify({
        rows: matrix.rows,
        cols: matrix.cols,
        ptr: Array.from({ length: groups + 1 }, (_, g) => g * groupSize),
        weights: new Array(groups).fill(1),
        lambda: problem.lambda,
        loss: "squared",
        targets: Array.from(y),
        scaling: "sum",
        samples: matrix.rows,
        tolerance: "default",
      }),
    );
    const t0 = performance.now();
    const run = spawnSync("/usr/bin/python3", [script, dir], {
      encoding: "utf8",
      timeout: cvxoptTimeoutS * 1000,
      maxBuffer: 1 << 30,
    });
    const wallSeconds = (performance.now() - t0) / 1000;
    if (run.error !== undefined && (run.error as NodeJS.ErrnoException).code === "ETIMEDOUT") {
      return { status: "timeout", timeoutSeconds: cvxoptTimeoutS, wallSeconds };
    }
    if (run.status !== 0) return { status: "error", detail: run.stderr.slice(-2000), wallSeconds };
    const out = JSON.parse(run.stdout) as {
      objective: number;
      status: string;
      iterations: number;
      seconds: number;
      x: number[];
    };
    const cert = certify(problem, Float64Array.from(out.x));
    return {
      status: out.status,
      seconds: out.seconds,
      wallSeconds,
      iterations: out.iterations,
      objective: out.objective,
      relativeGapOfItsX: cert.relativeGap,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const results: Record<string, unknown> = {};
for (const size of sizes) {
  log(`building ${size} ${JSON.stringify(SIZES[size])}`);
  const inst = instance(size);
  const entry: Record<string, unknown> = {
    ...SIZES[size],
    lambda: inst.problem.lambda,
    lambdaMax: inst.lambdaMax,
    solvers: {} as Record<string, unknown>,
  };
  for (const name of solverNames) {
    for (const variant of VARIANTS[name] ?? [{ label: "default", options: {} }]) {
      log(`${size}: ${name} (${variant.label})`);
      const r = runSolver(inst.problem, name, variant.options);
      log(`  ${r.status} in ${r.seconds.toFixed(1)} s, gap ${r.relativeGap.toExponential(2)}`);
      (entry.solvers as Record<string, unknown>)[`${name}:${variant.label}`] = r;
    }
  }
  if (runCvxopt) {
    log(`${size}: cvxopt (default tolerances, timeout ${cvxoptTimeoutS} s)`);
    entry.cvxopt = runCvxoptOn(inst);
    log(`  ${JSON.stringify(entry.cvxopt)}`);
  }
  results[size] = entry;
}

type Lv = { gap: number; seconds: number | null };
const levelSeconds = (size: string, key: string, gap: number): number | null => {
  const s = (results[size] as { solvers: Record<string, { levels: Lv[] }> } | undefined)?.solvers[
    key
  ];
  return s?.levels.find((l) => l.gap === gap)?.seconds ?? null;
};
const cvxMedium = (results.medium as { cvxopt?: { seconds?: number } } | undefined)?.cvxopt
  ?.seconds;
const fistaMedium = levelSeconds("medium", "fista:default", 1e-6);
const targets = {
  fistaReaches1e6AtLeast10xSoonerThanCvxoptOnMedium:
    fistaMedium === null || cvxMedium === undefined ? null : fistaMedium * 10 <= cvxMedium,
  ipmReaches1e8OnSmall: sizes.includes("small")
    ? levelSeconds("small", "ipm:default", 1e-8) !== null
    : null,
  ipmReaches1e8OnMedium: sizes.includes("medium")
    ? levelSeconds("medium", "ipm:default", 1e-8) !== null
    : null,
};
process.stdout.write(
  `${JSON.stringify({ benchmark: "solvers", node: process.version, timeLimitSeconds: timeLimitS, sizes: results, targets }, null, 2)}\n`,
);
