// E2 (grokking), written to docs/results/<name>/:
//   pnpm --filter @convexformer/experiments run e2 [--prime 97] [--op /] [--layers 2] [--width 128]
//     [--heads 4] [--attention softmax|simplex] [--weight-decay 1] [--train-fraction 0.5]
//     [--steps 30000] [--eval-every 250] [--seed 0] [--out name] [--resume] [--no-stop]
//   pnpm --filter @convexformer/experiments run e2 --convex [--prime 23] [--gates 16] [--lambda-ratio 1e-3]
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { type E2Config, type ModularOperator, runE2, runE2Convex } from "@convexformer/experiments";
import { saveExperiment } from "@convexformer/experiments/node";
import { fileCheckpointStore, softwareVersions } from "@convexformer/io/node";
import { num, parseArgs, progress, REPO_ROOT, runScript } from "./script-args.js";

runScript(async (signal) => {
  const argv = process.argv.slice(2);
  const args = parseArgs(
    argv,
    [
      "prime",
      "op",
      "layers",
      "width",
      "heads",
      "attention",
      "weight-decay",
      "train-fraction",
      "steps",
      "eval-every",
      "seed",
      "out",
      "gates",
      "lambda-ratio",
      "features",
      "max-iterations",
    ],
    ["resume", "no-stop", "convex"],
  );
  const opt = <T>(key: string, value: T | undefined) =>
    value === undefined ? {} : { [key]: value };
  const common = {
    ...opt("prime", num(args, "prime")),
    ...opt("operator", args.values.get("op") as ModularOperator | undefined),
    ...opt("trainFraction", num(args, "train-fraction")),
    ...opt("seed", num(args, "seed")),
  };
  const command = `pnpm --filter @convexformer/experiments run e2 ${argv.join(" ")}`.trim();
  if (args.flags.has("convex")) {
    const result = await runE2Convex(
      {
        ...common,
        ...opt("gates", num(args, "gates")),
        ...opt("lambdaRatio", num(args, "lambda-ratio")),
        ...opt("maxIterations", num(args, "max-iterations")),
        ...opt("features", args.values.get("features") as "one-hot" | "random" | undefined),
      },
      { signal, software: softwareVersions(import.meta.url), onProgress: progress },
    );
    const out = join(
      REPO_ROOT,
      "docs",
      "results",
      args.values.get("out") ?? `e2-convex-p${result.config.prime}`,
    );
    await saveExperiment(out, result, { command });
    const m = result.metrics;
    console.log(
      `E2 convex (gated program (14), ${result.config.features} features, p=${result.config.prime}): train ${(100 * m.trainAccuracy).toFixed(1)}%, validation ${(100 * m.validationAccuracy).toFixed(1)}%, gap ${m.relativeGap.toExponential(2)} (${m.status}, ${m.iterations} it, ${(result.timings.total ?? 0) / 1000} s)`,
    );
    console.log(`written to ${out}`);
    return;
  }
  const config: E2Config = {
    ...common,
    ...opt("layers", num(args, "layers")),
    ...opt("width", num(args, "width")),
    ...opt("heads", num(args, "heads")),
    ...opt("attention", args.values.get("attention") as "softmax" | "simplex" | undefined),
    ...opt("weightDecay", num(args, "weight-decay")),
    ...opt("steps", num(args, "steps")),
    ...opt("evaluateEvery", num(args, "eval-every")),
    ...(args.flags.has("no-stop") ? { stopAtGeneralization: false } : {}),
  };
  const name =
    args.values.get("out") ??
    `e2-p${config.prime ?? 97}-L${config.layers ?? 2}-d${config.width ?? 128}-${config.attention ?? "softmax"}-wd${config.weightDecay ?? 1}-s${config.seed ?? 0}`;
  const out = join(REPO_ROOT, "docs", "results", name);
  const result = await runE2(config, {
    signal,
    checkpoint: fileCheckpointStore(`${out}.checkpoint.bin`),
    checkpointEvery: 500,
    resume: args.flags.has("resume"),
    software: softwareVersions(import.meta.url),
    onProgress: progress,
  });
  await saveExperiment(out, result, { command });
  if (result.status === "complete") await rm(`${out}.checkpoint.bin`, { force: true });
  const m = result.metrics;
  console.log(
    `E2 ${result.status} (${result.config.attention}, p=${result.config.prime}, L=${result.config.layers}, d=${result.config.width}, wd=${result.config.weightDecay}, seed ${result.seed}): fit ${m.fitStep ?? "never"}, generalized ${m.generalizedStep ?? "never"} of ${m.steps} steps; ${m.msPerStep.toFixed(1)} ms/step`,
  );
  console.log(`written to ${out}`);
});
