import { createRequire } from "node:module";
import {
  type ExperimentResult,
  type RunnerProgress,
  runE1,
  runE2,
  runE2Convex,
  runE3,
  runText,
} from "@convexformer/experiments";
import { splitWords } from "@convexformer/io";
import {
  fileCheckpointStore,
  loadGloveEmbeddings,
  loadTextRecords,
  loadWinkEmbeddings,
  softwareVersions,
} from "@convexformer/io/node";
import { experimentFigures, experimentTerminalMaps } from "../experiment-figures.js";
import { experimentSummary } from "../experiment-summary.js";
import type { JobContext } from "../run-interruptibly.js";

/**
 * The experiments `convexformer experiment` runs (one subcommand each; `convexformer demo` is
 * `e1` at its defaults).
 *
 * @example
 * ```ts
 * import type { ExperimentName } from "./experiment-job.js"; // internal module
 * const names: ExperimentName[] = ["e1", "e2", "e2-convex", "e3", "text"];
 * names.length; // 5
 * ```
 */
export type ExperimentName = "e1" | "e2" | "e2-convex" | "e3" | "text";

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
  /** Which experiment. */
  readonly experiment: ExperimentName;
  /** The runner's configuration (`E1Config`, `E2Config`, … of `@convexformer/experiments`). */
  readonly config: Record<string, unknown>;
  /** Checkpoint file (E1, E2, text); none when absent. */
  readonly checkpoint?: string;
  /** Continue from the checkpoint. */
  readonly resume: boolean;
  /** Checkpoint every this many steps (default: the runner's). */
  readonly checkpointEvery?: number;
  /** The text task's data: JSONL records and the embeddings (a GloVe file, or `"wink"`). */
  readonly text?: {
    readonly records: string;
    readonly embeddings: string;
    readonly textField?: string;
    readonly labelField?: string;
  };
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
  /** The terminal summary (table and token maps). */
  readonly text: string;
}

/**
 * The worker side of `convexformer experiment` (run through `runInterruptibly`): runs the
 * experiment with the signal (an interrupted run returns what it computed, status `aborted`),
 * checkpoints to `checkpoint` and resumes from it, then renders the figures through
 * `@convexformer/interpret`. Reports `{ type: "progress", phase, done, total, message }`.
 * @internal
 */
export async function experimentJob(
  input: ExperimentJobInput,
  context: JobContext,
): Promise<ExperimentJobOutput> {
  // the packages an experiment uses are those the experiments package resolves
  const software = softwareVersions(
    createRequire(import.meta.url).resolve("@convexformer/experiments/package.json"),
  );
  const hooks = {
    signal: context.signal,
    software,
    resume: input.resume,
    onProgress: (p: RunnerProgress) => context.report({ type: "progress", ...p }),
    ...(input.checkpoint === undefined
      ? {}
      : { checkpoint: fileCheckpointStore(input.checkpoint) }),
    ...(input.checkpointEvery === undefined ? {} : { checkpointEvery: input.checkpointEvery }),
  };
  const config = input.config as never;
  let result: ExperimentResult<unknown, unknown>;
  switch (input.experiment) {
    case "e1":
      result = await runE1(config, hooks);
      break;
    case "e2":
      result = await runE2(config, hooks);
      break;
    case "e2-convex":
      result = await runE2Convex(config, hooks);
      break;
    case "e3":
      result = await runE3(config, hooks);
      break;
    case "text": {
      const text = input.text;
      if (text === undefined)
        throw new Error("experimentJob: the text task needs its records and embeddings");
      const records = await loadTextRecords(text.records, {
        ...(text.textField === undefined ? {} : { textField: text.textField }),
        ...(text.labelField === undefined ? {} : { labelField: text.labelField }),
      });
      context.report({ type: "progress", phase: "embeddings", done: 0, total: 1 });
      const vocabulary = new Set<string>();
      for (const r of records) for (const w of splitWords(r.text)) vocabulary.add(w);
      const embeddings =
        text.embeddings === "wink"
          ? await loadWinkEmbeddings({ vocabulary })
          : (await loadGloveEmbeddings(text.embeddings, { vocabulary, signal: context.signal }))
              .embeddings;
      result = await runText(records, embeddings, config, hooks);
      break;
    }
  }
  const figures = await experimentFigures(result);
  const files: Record<string, string> = {
    "result.json": `${JSON.stringify(result, null, 2)}\n`,
    ...figures,
  };
  const maps = experimentTerminalMaps(result);
  return { result, files, text: `${experimentSummary(result)}${maps === "" ? "" : `\n${maps}\n`}` };
}
