import { join } from "node:path";
import {
  type AttentionWeights,
  attentionForward,
  attentionObjective,
  fitConvexAttention,
} from "@convexformer/attention";
import { squaredLoss } from "@convexformer/solvers";
import { npyToTokenBatch, writeNpy } from "@convexformer/tensors";
import { checkFiniteEntries } from "../input-checks.js";
import { readInputNpy } from "../input-files.js";
import { memoryLimitBytes } from "../memory-limit.js";
import type { JobContext } from "../run-interruptibly.js";
import { svgBarChart, textBarChart } from "../svg-bar-chart.js";
import { UsageError } from "../usage-error.js";
import type { DemoOptions } from "./demo.js";

/**
 * The worker side of `convexformer demo` (run through `runInterruptibly`): reads the data,
 * fits program (9) with the signal (an interrupted fit keeps its best iterate, status
 * `aborted`), recovers and evaluates the network, and returns the result folder's files and
 * the summary text. Reports `{ type: "progress", record }` and `{ type: "info", text }`.
 * @internal
 */
export async function demoJob(
  input: { readonly options: DemoOptions; readonly dataDir: string; readonly embedded: boolean },
  context: JobContext,
): Promise<{ files: Record<string, string | Uint8Array>; text: string; status: string }> {
  const { options, dataDir } = input;
  const xArray = await readInputNpy(join(dataDir, "X.npy"), memoryLimitBytes());
  const yArray = await readInputNpy(join(dataDir, "y.npy"), memoryLimitBytes());
  checkFiniteEntries(join(dataDir, "X.npy"), xArray, ["sample", "token", "feature"]);
  checkFiniteEntries(join(dataDir, "y.npy"), yArray, ["sample"]);
  const X = npyToTokenBatch(xArray, join(dataDir, "X.npy"));
  const y = Float64Array.from(yArray.data);
  if (y.length !== X.samples) {
    throw new UsageError(
      `${join(dataDir, "y.npy")}: has ${y.length} targets, X.npy has ${X.samples} samples`,
    );
  }
  const nTrain = Math.round(options.trainFraction * X.samples);
  if (nTrain < 1 || nTrain >= X.samples) {
    throw new UsageError(
      `--train-fraction: leaves ${nTrain} of ${X.samples} samples for training; need 1..N-1`,
    );
  }
  const train = X.sampleBlock(0, nTrain);
  const test = X.sampleBlock(nTrain, X.samples);
  const yTrain = y.subarray(0, nTrain);
  const yTest = y.subarray(nTrain);
  context.report({
    type: "info",
    text: `demo: ${X.samples} samples of ${X.tokens} tokens × ${X.features} features (${nTrain} train, ${X.samples - nTrain} test), data ${dataDir}\n`,
  });

  const started = performance.now();
  let lastReport = 0;
  const fit = fitConvexAttention(train, {
    model: "scalar",
    loss: "squared",
    targets: yTrain,
    lambdaRatio: options.lambdaRatio,
    solver: options.solver,
    tolerance: options.tol,
    signal: context.signal,
    onIteration: (record) => {
      const now = Date.now();
      if (now - lastReport < 100) return;
      lastReport = now;
      context.report({ type: "progress", record });
    },
  });
  const seconds = (performance.now() - started) / 1000;
  const network = fit.network as AttentionWeights;
  const lossTrain = squaredLoss(yTrain);
  const networkObjective = attentionObjective(network, train, lossTrain, fit.lambda);
  const convexObjective = fit.certificate.objective;
  const predictions = attentionForward(network, test);
  let sse = 0;
  let sst = 0;
  const mean = yTest.reduce((a, b) => a + b, 0) / yTest.length;
  for (let i = 0; i < yTest.length; i++) {
    sse += ((predictions[i] as number) - (yTest[i] as number)) ** 2;
    sst += ((yTest[i] as number) - mean) ** 2;
  }
  const importance = Array.from(fit.tokenImportance?.perToken ?? []);
  const activeTokens = importance.flatMap((v, k) => (v > 0 ? [k] : []));
  const result = {
    dataset: input.embedded ? "embedded demo (planted teacher on tokens 2 and 5)" : dataDir,
    shape: { samples: X.samples, tokens: X.tokens, features: X.features, train: nTrain },
    program: "(9) scalar convex attention, squared loss ½Σ(ŷ−y)²",
    lambda: fit.lambda,
    lambdaMax: fit.lambdaMax,
    solver: fit.solve.solver,
    status: fit.solve.status,
    iterations: fit.solve.iterations,
    seconds,
    objective: convexObjective,
    dualObjective: fit.certificate.dualObjective,
    relativeGap: fit.certificate.relativeGap,
    kktResidual: fit.certificate.kktResidual,
    headsNeeded: fit.headsNeeded,
    recoveredNetworkObjective: networkObjective,
    recoveryRelativeDifference:
      Math.abs(networkObjective - convexObjective) / Math.max(1, Math.abs(convexObjective)),
    activeTokens,
    tokenImportance: importance,
    test: { mse: sse / yTest.length, r2: sst > 0 ? 1 - sse / sst : Number.NaN },
  };

  const bars = importance.map((value, k) => ({ label: `${k}`, value }));
  const files = {
    "z.npy": writeNpy({ dtype: "float64", shape: [X.tokens, X.features], data: fit.solution }),
    "token-importance.svg": svgBarChart(
      "convex attention: token importance ‖z_k‖",
      bars,
      "‖z_k‖",
      "token k",
    ),
    "result.json": `${JSON.stringify(result, null, 2)}\n`,
  };
  const text = [
    `convex program (9): λ = ${fit.lambda.toPrecision(4)} (${options.lambdaRatio} λ_max), solver ${result.solver}: ${result.status} in ${result.iterations} iterations, ${seconds.toFixed(2)} s`,
    `objective ${convexObjective.toPrecision(10)}   dual ${result.dualObjective.toPrecision(10)}   relative gap ${result.relativeGap.toExponential(2)} ${result.status === "converged" ? "(certified global optimum)" : `(not certified: status ${result.status})`}`,
    `recovered network: ${result.headsNeeded} heads, each attending to one token; its objective ${networkObjective.toPrecision(10)} (relative difference ${result.recoveryRelativeDifference.toExponential(1)})`,
    `held-out test: MSE ${result.test.mse.toPrecision(4)}, R² ${result.test.r2.toFixed(4)}`,
    "token importance ‖z_k‖ (the convex model's attention map):",
    textBarChart(importance.map((value, k) => ({ label: `token ${k}`, value }))),
    `wrote ${join(options.out, "result.json")}, z.npy, token-importance.svg`,
    "",
  ].join("\n");
  return { files, text, status: result.status };
}
