// E3 (solver benchmark), written to docs/results/<name>/:
//   pnpm --filter @convexformer/experiments run e3 [--sizes small,medium] [--programs scalar,vector-ce,gated,sequence,scnn]
//     [--solvers fista,admm,ipm] [--time-limit 30000] [--no-adam] [--out e3]
import { join } from "node:path";
import { type E3Program, type E3Size, runE3 } from "@convexformer/experiments";
import { saveExperiment } from "@convexformer/experiments/node";
import { softwareVersions } from "@convexformer/io/node";
import { list, num, parseArgs, progress, REPO_ROOT, runScript } from "./script-args.js";

runScript(async (signal) => {
  const argv = process.argv.slice(2);
  const args = parseArgs(
    argv,
    ["sizes", "programs", "solvers", "time-limit", "adam-steps", "out", "seed"],
    ["no-adam"],
  );
  const sizes = list(args, "sizes") as E3Size[] | undefined;
  const programs = list(args, "programs") as E3Program[] | undefined;
  const solvers = list(args, "solvers");
  const timeLimitMs = num(args, "time-limit");
  const adamSteps = num(args, "adam-steps");
  const seed = num(args, "seed");
  const result = await runE3(
    {
      ...(sizes === undefined ? {} : { sizes }),
      ...(programs === undefined ? {} : { programs }),
      ...(solvers === undefined ? {} : { solvers }),
      ...(timeLimitMs === undefined ? {} : { timeLimitMs }),
      ...(adamSteps === undefined ? {} : { adamSteps }),
      ...(seed === undefined ? {} : { seed }),
      ...(args.flags.has("no-adam") ? { adam: false } : {}),
    },
    { signal, software: softwareVersions(import.meta.url), onProgress: progress },
  );
  const out = join(REPO_ROOT, "docs", "results", args.values.get("out") ?? "e3");
  await saveExperiment(out, result, {
    command: `pnpm --filter @convexformer/experiments run e3 ${argv.join(" ")}`.trim(),
  });
  const cell = (ms: number | null, it: number | null) =>
    ms === null ? "—" : `${(ms / 1000).toFixed(3)} s / ${it}`;
  console.log(
    "| program | size | dim | solver | status | 1e-4 | 1e-6 | 1e-8 | objective | active |",
  );
  console.log("|---|---|---|---|---|---|---|---|---|---|");
  for (const r of result.metrics.rows) {
    const [a, b, c] = r.reached;
    console.log(
      `| ${r.program} | ${r.size} | ${r.dimension} | ${r.solver} | ${r.status}${r.error === undefined ? "" : `: ${r.error.slice(0, 60)}`} | ${cell(a?.milliseconds ?? null, a?.iterations ?? null)} | ${cell(b?.milliseconds ?? null, b?.iterations ?? null)} | ${cell(c?.milliseconds ?? null, c?.iterations ?? null)} | ${r.objective?.toPrecision(8) ?? "—"} | ${r.activeGroups ?? "—"} |`,
    );
  }
  console.log(`written to ${out}`);
});
