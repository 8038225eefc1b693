// E1 (student–teacher), written to docs/results/<name>/ (result.json, command.txt):
//   pnpm --filter @convexformer/experiments run e1 [--scale 2] [--seed 0] [--steps 400]
//     [--beta 0.1] [--solvers fista,admm,ipm] [--out e1-default] [--resume]
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { runE1 } from "@convexformer/experiments";
import { saveExperiment } from "@convexformer/experiments/node";
import { fileCheckpointStore, softwareVersions } from "@convexformer/io/node";
import { list, num, parseArgs, progress, REPO_ROOT, runScript } from "./script-args.js";

runScript(async (signal) => {
  const argv = process.argv.slice(2);
  const args = parseArgs(
    argv,
    ["scale", "seed", "steps", "beta", "solvers", "out", "target", "noise"],
    ["resume", "classification"],
  );
  const scale = num(args, "scale") ?? 1;
  const name = args.values.get("out") ?? (scale === 1 ? "e1-default" : `e1-scale-${scale}`);
  const out = join(REPO_ROOT, "docs", "results", name);
  const seed = num(args, "seed");
  const steps = num(args, "steps");
  const beta = num(args, "beta");
  const noise = num(args, "noise");
  const solvers = list(args, "solvers");
  const target = args.values.get("target");
  const result = await runE1(
    {
      scale,
      data: {
        ...(seed === undefined ? {} : { seed }),
        ...(noise === undefined ? {} : { noise }),
        ...(target === undefined ? {} : { target: target as "scalar" | "vector" }),
        ...(args.flags.has("classification") ? { classification: true } : {}),
      },
      ...(steps === undefined ? {} : { steps }),
      ...(beta === undefined ? {} : { beta }),
      ...(solvers === undefined ? {} : { solvers }),
    },
    {
      signal,
      checkpoint: fileCheckpointStore(`${out}.checkpoint.bin`),
      resume: args.flags.has("resume"),
      software: softwareVersions(import.meta.url),
      onProgress: progress,
    },
  );
  await saveExperiment(out, result, {
    command: `pnpm --filter @convexformer/experiments run e1 ${argv.join(" ")}`.trim(),
  });
  if (result.status === "complete") await rm(`${out}.checkpoint.bin`, { force: true });
  const m = result.metrics;
  const row = (label: string, x: { objective: number; testError: number; milliseconds: number }) =>
    `${label.padEnd(22)} objective ${x.objective.toPrecision(6).padStart(12)}  test error ${x.testError.toPrecision(4).padStart(9)}  ${(x.milliseconds / 1000).toFixed(2).padStart(7)} s`;
  console.log(
    `E1 ${result.status}: N=${m.sizes.train}, n=${m.sizes.tokens}, d=${m.sizes.features}, beta=${m.beta.toPrecision(4)} (${(result.timings.total ?? 0) / 1000} s total)`,
  );
  console.log(
    row(`convex (${m.solvers[0]?.solver})`, m.convex),
    ` gap ${m.convex.relativeGap.toExponential(2)}, heads ${m.convex.headsNeeded}`,
  );
  console.log(row(`simplex (lr ${m.simplex.learningRate})`, m.simplex));
  console.log(row(`standard (lr ${m.standard.learningRate})`, m.standard));
  console.log(`written to ${out}`);
});
