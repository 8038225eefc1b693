import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  type AttentionWeights,
  attentionForward,
  attentionObjective,
  fitConvexAttention,
} from "@convexformer/attention";
import { squaredLoss } from "@convexformer/solvers";
import { ConvexformerError, npyToTokenBatch, writeNpy } from "@convexformer/tensors";
import { type Command, InvalidArgumentError } from "commander";
import { writeFileAtomic } from "../atomic-write.js";
import type { CliIo } from "../cli-io.js";
import { readInputNpy } from "../input-files.js";
import { gapProgress } from "../progress.js";
import { svgBarChart, textBarChart } from "../svg-bar-chart.js";
import { UsageError } from "../usage-error.js";

/** Options of `convexformer demo`. */
export interface DemoOptions {
  /** Directory with `X.npy` (`N × n × d`) and `y.npy` (`N`); default the embedded dataset. */
  readonly data?: string;
  /** Output directory. Default `runs/demo`. */
  readonly out: string;
  /** `λ = ratio · λ_max`. Default 0.01. */
  readonly lambdaRatio: number;
  /** Fraction of samples used for training (the rest are held out). Default 0.75. */
  readonly trainFraction: number;
  /** Solver name. Default `fista`. */
  readonly solver: string;
  /** Target relative duality gap. Default 1e-8. */
  readonly tol: number;
}

/** The embedded default dataset shipped with the CLI (see `scripts/make-demo-data.ts`). */
export const DEMO_DATA_DIR = fileURLToPath(new URL("../../data/demo/", import.meta.url));

/**
 * `convexformer demo`: fits the convex scalar attention program (9) to a dataset (by default
 * the embedded one: a planted two-head simplex-attention teacher on tokens 2 and 5 plus noise),
 * certifies the global optimum by its duality gap, recovers the network (one head per nonzero
 * token row), checks that its nonconvex objective equals the convex one, evaluates it on held-out
 * samples and writes `result.json`, `z.npy` and `token-importance.svg`. Returns the exit code.
 *
 * @example
 * ```ts
 * import { processIo, runDemo } from "convexformer";
 * await runDemo({ out: "runs/demo", lambdaRatio: 0.01, trainFraction: 0.75, solver: "fista", tol: 1e-8 }, processIo());
 * ```
 */
export async function runDemo(options: DemoOptions, io: CliIo): Promise<number> {
  try {
    const dataDir = options.data ?? DEMO_DATA_DIR;
    const X = npyToTokenBatch(await readInputNpy(join(dataDir, "X.npy")), join(dataDir, "X.npy"));
    const yArray = await readInputNpy(join(dataDir, "y.npy"));
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
    io.stderr(
      `demo: ${X.samples} samples of ${X.tokens} tokens × ${X.features} features (${nTrain} train, ${X.samples - nTrain} test), data ${dataDir}\n`,
    );

    const progress = gapProgress(io, options.tol);
    const started = performance.now();
    let fit: ReturnType<typeof fitConvexAttention>;
    try {
      fit = fitConvexAttention(train, {
        model: "scalar",
        loss: "squared",
        targets: yTrain,
        lambdaRatio: options.lambdaRatio,
        solver: options.solver,
        tolerance: options.tol,
        onIteration: (r) => progress.update(r),
      });
    } finally {
      progress.stop();
    }
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
      dataset:
        dataDir === DEMO_DATA_DIR ? "embedded demo (planted teacher on tokens 2 and 5)" : dataDir,
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

    await mkdir(options.out, { recursive: true });
    await writeFileAtomic(
      join(options.out, "z.npy"),
      writeNpy({ dtype: "float64", shape: [X.tokens, X.features], data: fit.solution }),
    );
    const bars = importance.map((value, k) => ({ label: `${k}`, value }));
    await writeFileAtomic(
      join(options.out, "token-importance.svg"),
      svgBarChart("convex attention: token importance ‖z_k‖", bars, "‖z_k‖", "token k"),
    );
    await writeFileAtomic(join(options.out, "result.json"), `${JSON.stringify(result, null, 2)}\n`);

    io.stdout(
      [
        `convex program (9): λ = ${fit.lambda.toPrecision(4)} (${options.lambdaRatio} λ_max), solver ${result.solver}: ${result.status} in ${result.iterations} iterations, ${seconds.toFixed(2)} s`,
        `objective ${convexObjective.toPrecision(10)}   dual ${result.dualObjective.toPrecision(10)}   relative gap ${result.relativeGap.toExponential(2)} (certified global optimum)`,
        `recovered network: ${result.headsNeeded} heads, each attending to one token; its objective ${networkObjective.toPrecision(10)} (relative difference ${result.recoveryRelativeDifference.toExponential(1)})`,
        `held-out test: MSE ${result.test.mse.toPrecision(4)}, R² ${result.test.r2.toFixed(4)}`,
        "token importance ‖z_k‖ (the convex model's attention map):",
        textBarChart(importance.map((value, k) => ({ label: `token ${k}`, value }))),
        `wrote ${join(options.out, "result.json")}, z.npy, token-importance.svg`,
        "",
      ].join("\n"),
    );
    return result.status === "converged" ? 0 : 1;
  } catch (error) {
    if (error instanceof UsageError || error instanceof ConvexformerError) {
      io.stderr(`convexformer demo: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

function ratio(name: string) {
  return (value: string): number => {
    const v = Number(value);
    if (!Number.isFinite(v) || v <= 0 || v >= 1)
      throw new InvalidArgumentError(`${name} must be in (0, 1).`);
    return v;
  };
}

/**
 * Registers `demo` on the program.
 *
 * @example
 * ```ts
 * import { Command } from "commander";
 * import { processIo, registerDemoCommand } from "convexformer";
 * registerDemoCommand(new Command("convexformer"), processIo());
 * ```
 */
export function registerDemoCommand(program: Command, io: CliIo): void {
  program
    .command("demo")
    .description(
      "fit convex attention to the embedded default dataset (or --data), certify it, recover the network, write result.json and an SVG",
    )
    .option(
      "--data <dir>",
      "directory with X.npy (N × n × d) and y.npy (N) instead of the embedded dataset",
    )
    .option("--out <dir>", "output directory", "runs/demo")
    .option("--lambda-ratio <r>", "λ = r · λ_max", ratio("--lambda-ratio"), 0.01)
    .option(
      "--train-fraction <f>",
      "fraction of samples used for training",
      ratio("--train-fraction"),
      0.75,
    )
    .option("--solver <name>", "solver", "fista")
    .option("--tol <gap>", "target relative duality gap", ratio("--tol"), 1e-8)
    .action(async (options: DemoOptions) => {
      process.exitCode = await runDemo(options, io);
    });
}
