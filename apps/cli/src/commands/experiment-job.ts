import { createRequire } from "node:module";
import type { Experiment, ExperimentResult, RunnerProgress } from "@convexformer/experiments";
import { EXPERIMENTS } from "@convexformer/experiments/node";
import { UsageError } from "@convexformer/io";
import { fileCheckpointStore, softwareVersions } from "@convexformer/io/node";
import type { JobContext } from "../run-interruptibly.js";

/**
 * The input of {@link experimentJob} (structured-cloned into the worker).
 *
 * @example
 * ```ts
 * import type { ExperimentJobInput } from "convexformer";
 * const input: ExperimentJobInput = { experiment: "e2", config: { prime: 23, steps: 100 }, resume: false };
 * ```
 */
export interface ExperimentJobInput {
  /** Which experiment (a name in the registry, `EXPERIMENTS` of `@convexformer/experiments/node`). */
  readonly experiment: string;
  /** The experiment's configuration, as its option table reads it. */
  readonly config: Readonly<Record<string, unknown>>;
  /** Checkpoint file (experiments that checkpoint); none when absent. */
  readonly checkpoint?: string;
  /** Continue from the checkpoint. */
  readonly resume: boolean;
  /** Checkpoint every this many steps (default: the runner's). */
  readonly checkpointEvery?: number;
}

/**
 * What {@link experimentJob} returns: the result, its folder's files and the terminal summary.
 *
 * @example
 * ```ts
 * import type { ExperimentJobOutput } from "./experiment-job.js"; // internal module
 * const done = (o: ExperimentJobOutput) => o.result.status === "complete";
 * ```
 */
export interface ExperimentJobOutput {
  /** The experiment's result (config, seed, versions, timings, metrics, curves). */
  readonly result: ExperimentResult<unknown, unknown>;
  /** File name → contents of the result folder. */
  readonly files: Record<string, string>;
  /** The terminal summary (the descriptor's summary and terminal figures). */
  readonly text: string;
}

/**
 * The registered experiment of this name.
 *
 * @param name - the experiment's name
 * @throws `UsageError` naming the registered ones when there is none of this name
 */
export function findExperiment(name: string): Experiment {
  const experiment = EXPERIMENTS.find((e) => e.name === name);
  if (experiment === undefined)
    throw new UsageError(
      `no experiment "${name}" (registered: ${EXPERIMENTS.map((e) => e.name).join(", ")})`,
    );
  return experiment;
}

/**
 * The worker side of `convexformer experiment` (run through `runInterruptibly`): runs the
 * registered experiment with the signal (an interrupted run returns what it computed, status
 * `aborted`), checkpoints to `checkpoint` and resumes from it, then draws the descriptor's
 * figures and summary. Reports `{ type: "progress", phase, done, total, message }`.
 * @internal
 */
export async function experimentJob(
  input: ExperimentJobInput,
  context: JobContext,
): Promise<ExperimentJobOutput> {
  const experiment = findExperiment(input.experiment);
  const result = await experiment.run(input.config, {
    signal: context.signal,
    // the packages an experiment uses are those the experiments package resolves
    software: softwareVersions(
      createRequire(import.meta.url).resolve("@convexformer/experiments/package.json"),
    ),
    resume: input.resume,
    onProgress: (p: RunnerProgress) => context.report({ type: "progress", ...p }),
    ...(input.checkpoint === undefined
      ? {}
      : { checkpoint: fileCheckpointStore(input.checkpoint) }),
    ...(input.checkpointEvery === undefined ? {} : { checkpointEvery: input.checkpointEvery }),
  });
  const figures = experiment.figures === undefined ? {} : await experiment.figures.draw(result);
  const maps = experiment.figures?.terminal?.(result) ?? "";
  return {
    result,
    files: { "result.json": `${JSON.stringify(result, null, 2)}\n`, ...figures },
    text: `${experiment.summary(result)}${maps === "" ? "" : `\n${maps}\n`}`,
  };
}
