/**
 * The working-set restriction on the scnn instance (issue 13): seconds (wall and CPU, all
 * threads) and iterations to a certified relative gap 1e-6, with the attention operator's own
 * `restrictColumns` ("new") and with it hidden ("old": `restrictToGroups` then copies the kept
 * columns one by one into a dense matrix run by JS kernels), alternated on the same problem in
 * one process (the machine is shared: compare within a run).
 *
 *     node --conditions=@convexformer/source --import tsx packages/attention/bench/scnn-working-set.bench.ts
 *         [--shape 2000,50,100] [--solvers fista,bcd] [--variants new,old] [--reps 2]
 *
 * One JSON document on stdout; progress on stderr.
 */

import { loadavg } from "node:os";
import {
  type CompositeProblem,
  getSolver,
  lambdaMax,
  squaredLoss,
  withLambda,
} from "@convexformer/solvers";
import { configureKernels } from "@convexformer/tensors";
import { gatedAttentionProblem, sampleGates } from "../src/index.js";
import { arg } from "./bench-args.js";
import { scnnData } from "./scnn-instance.js";

const [N, p, P] = (arg("--shape") ?? "2000,50,100").split(",").map(Number) as [
  number,
  number,
  number,
];
const solvers = (arg("--solvers") ?? "fista,bcd").split(",");
const variants = (arg("--variants") ?? "new,old").split(",");
const reps = Number(arg("--reps") ?? 2);
const kernels = await configureKernels();
const { X, y } = scnnData(N, p);
const base = gatedAttentionProblem(X, sampleGates(X, P, { seed: 7 }), squaredLoss(y), 1);
const problem = withLambda(base, 0.1 * lambdaMax(base));
const { restrictColumns: _own, ...columnsOnly } = problem.operator;
const hidden: CompositeProblem = { ...problem, operator: columnsOnly };
const runs = [];
for (let rep = 0; rep < reps; rep++)
  for (const solver of solvers)
    for (const variant of variants) {
      const load = loadavg()[0];
      const t = performance.now();
      const cpu = process.cpuUsage();
      const r = getSolver(solver).solve(variant === "old" ? hidden : problem, {
        tolerance: 1e-6,
        timeLimitMs: 600_000,
      });
      const used = process.cpuUsage(cpu);
      const row = {
        solver,
        variant,
        status: r.status,
        seconds: (performance.now() - t) / 1000,
        cpuSeconds: (used.user + used.system) / 1e6,
        iterations: r.iterations,
        relativeGap: r.relativeGap,
        objective: r.objective,
        load,
      };
      runs.push(row);
      console.error("[bench:scnn-working-set]", JSON.stringify(row));
    }
console.log(
  JSON.stringify(
    { bench: "scnn-working-set", N, p, P, kernels, node: process.version, runs },
    null,
    2,
  ),
);
