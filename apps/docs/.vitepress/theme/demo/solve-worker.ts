// The demo's solver, in a Web Worker so the page stays responsive. Solves program (9) for the
// in-page student–teacher data with FISTA in short chunks (warm-started), so a "stop" message is
// handled between chunks; every reported point carries its float64 certificate.
import {
  type AttentionProblem,
  headsNeeded,
  scalarAttentionProblem,
  tokenImportance,
} from "@convexformer/attention";
import { convergenceFigure, heatmapFigure } from "@convexformer/interpret";
import { certify, fista, lambdaMax, squaredLoss, withLambda } from "@convexformer/solvers";
import { Matrix } from "@convexformer/tensors";
import type { DemoMessage, DemoProgress, DemoRequest } from "./protocol.js";
import { generateDemoData } from "./student-teacher.js";

const CHUNK = 20;
const MAX_ITERATIONS = 5000;
let stopped = new Set<number>();
let previous: { key: string; x: Float64Array } | undefined;

function post(message: DemoMessage): void {
  (self as unknown as Worker).postMessage(message);
}

function yieldToMessages(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

async function solve(request: Extract<DemoRequest, { type: "solve" }>): Promise<void> {
  const { id, config, lambdaRatio, tolerance } = request;
  const { X, y } = generateDemoData(config);
  const base: AttentionProblem = scalarAttentionProblem(X, squaredLoss(y), 1);
  const lmax = lambdaMax(base);
  const lambda = lambdaRatio * lmax;
  const problem = withLambda(base, lambda);
  const key = JSON.stringify(config);
  // Warm start from the previous λ's solution of the same data (the slider moves along a path).
  let x = previous?.key === key ? Float64Array.from(previous.x) : new Float64Array(problem.dim);
  const started = performance.now();
  const history: DemoProgress[] = [];
  let iterations = 0;
  let certificate = certify(problem, x);
  let status: "converged" | "aborted" | "max-iterations" = "max-iterations";
  while (iterations < MAX_ITERATIONS) {
    if (certificate.relativeGap <= tolerance) {
      status = "converged";
      break;
    }
    if (stopped.has(id)) {
      status = "aborted";
      break;
    }
    const offset = iterations;
    const chunkStart = performance.now() - started;
    const result = fista.solve(problem, { tolerance, maxIterations: CHUNK, warmStart: x });
    iterations += result.iterations;
    x = Float64Array.from(result.x);
    certificate = certify(problem, x);
    // The solver's own certified records (those with a finite gap), on the global iteration axis.
    for (const record of result.history) {
      if (!Number.isFinite(record.relativeGap) || record.iteration === result.iterations) continue;
      history.push({
        iteration: offset + record.iteration,
        objective: record.objective,
        relativeGap: record.relativeGap,
        elapsedMs: chunkStart + record.elapsedMs,
      });
    }
    const point = {
      iteration: iterations,
      objective: certificate.objective,
      relativeGap: certificate.relativeGap,
      elapsedMs: performance.now() - started,
    };
    history.push(point);
    post({ type: "progress", id, ...point });
    await yieldToMessages();
  }
  previous = { key, x };
  const layout = base.layout;
  const perToken = tokenImportance(x, layout).perToken;
  // the figures, drawn by @convexformer/interpret (vega-lite, SVG) here in the worker
  const tokenFigure = await heatmapFigure({
    values: new Matrix(1, perToken.length, Float64Array.from(perToken)),
    rowLabels: ["‖z_k‖"],
    rowTitle: "",
    colorTitle: "‖z_k‖₂",
    title: `Token map of program (9) at λ = ${lambdaRatio.toPrecision(3)} λ_max`,
  });
  const records = history.map((p) => ({
    iteration: p.iteration,
    objective: p.objective,
    dualObjective: Number.NEGATIVE_INFINITY,
    relativeGap: p.relativeGap,
    elapsedMs: p.elapsedMs,
  }));
  const convergence =
    records.length === 0
      ? undefined
      : await convergenceFigure([{ solver: "fista", history: records }], {
          title: "FISTA on program (9): objective and certified relative gap",
        });
  post({
    type: "done",
    id,
    status,
    lambda,
    lambdaMax: lmax,
    objective: certificate.objective,
    relativeGap: certificate.relativeGap,
    kktResidual: certificate.kktResidual,
    iterations,
    elapsedMs: performance.now() - started,
    perToken: Array.from(perToken),
    tokenMapSvg: tokenFigure.svg,
    convergenceSvg: convergence?.svg ?? "",
    headsNeeded: headsNeeded(x, layout),
    history,
  });
}

self.onmessage = (event: MessageEvent<DemoRequest>) => {
  const request = event.data;
  if (request.type === "stop") {
    stopped.add(request.id);
    return;
  }
  stopped = new Set();
  solve(request).catch((error: unknown) => {
    post({
      type: "error",
      id: request.id,
      message: error instanceof Error ? error.message : String(error),
    });
  });
};
