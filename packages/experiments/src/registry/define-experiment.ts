import type { ExperimentResult, RunnerHooks } from "../runners/experiment-result.js";
import type { AnyOptionsTable, OptionsTable } from "./option-spec.js";

/**
 * Everything a front end needs to offer an experiment: its name and description, the option
 * table of its configuration, how to run it, whether it checkpoints, and how to present its
 * result (the terminal summary and the figures of its result folder), all typed by the
 * experiment's own configuration and result, so a renamed configuration key or metric is a
 * compile error in the descriptor.
 *
 * @typeParam Config - the configuration `run` takes
 * @typeParam Result - what `run` returns (its metrics typed)
 * @example
 * ```ts
 * import type { ExperimentDescriptor, ExperimentResult } from "@convexformer/experiments";
 * type ToyResult = ExperimentResult<{ size: number }, { total: number }>;
 * const show: ExperimentDescriptor<{ size?: number }, ToyResult>["summary"] = (r) => `total ${r.metrics.total}\n`;
 * ```
 */
export interface ExperimentDescriptor<Config, Result extends ExperimentResult<unknown, unknown>> {
  /** The subcommand name (`convexformer experiment <name>`). */
  readonly name: string;
  /** One line for `--help`. */
  readonly description: string;
  /** Every configuration key described (or hidden). */
  readonly options: OptionsTable<Config>;
  /**
   * Runs the experiment.
   *
   * @param config - the configuration read from the options (keys not given are absent)
   * @param hooks - progress, abort signal, checkpoint store and resume, software versions
   */
  readonly run: (config: Config, hooks: RunnerHooks) => Promise<Result>;
  /** Whether `run` checkpoints into `hooks.checkpoint` and can resume (`--resume`). */
  readonly checkpoints: boolean;
  /**
   * The terminal summary of a result (a table, a line; ends with a newline).
   *
   * @param result - what `run` returned
   */
  readonly summary: (result: Result) => string;
  /** The figures of the result folder, when the experiment draws any. */
  readonly figures?: {
    /** Every file name `draw` may return (an earlier result folder may hold them). */
    readonly files: readonly string[];
    /**
     * Draws the figures: file name → contents.
     *
     * @param result - what `run` returned
     */
    readonly draw: (result: Result) => Promise<Readonly<Record<string, string>>>;
    /**
     * The figures drawn for the terminal (printed after the summary; `""` for none).
     *
     * @param result - what `run` returned
     */
    readonly terminal?: (result: Result) => string;
  };
}

/**
 * An experiment as the registry holds it: a {@link ExperimentDescriptor} with its types erased
 * (what {@link defineExperiment} returns).
 *
 * @example
 * ```ts
 * import type { Experiment } from "@convexformer/experiments";
 * const names = (all: readonly Experiment[]) => all.map((e) => e.name);
 * ```
 */
export interface Experiment {
  /** The subcommand name. */
  readonly name: string;
  /** One line for `--help`. */
  readonly description: string;
  /** The option table. */
  readonly options: AnyOptionsTable;
  /**
   * Runs the experiment.
   *
   * @param config - the configuration read from the options
   * @param hooks - progress, abort signal, checkpoint store and resume, software versions
   */
  readonly run: (
    config: Readonly<Record<string, unknown>>,
    hooks: RunnerHooks,
  ) => Promise<ExperimentResult<unknown, unknown>>;
  /** Whether it checkpoints and resumes. */
  readonly checkpoints: boolean;
  /**
   * The terminal summary.
   *
   * @param result - a result of this experiment's `run`
   */
  readonly summary: (result: ExperimentResult<unknown, unknown>) => string;
  /** The figures, when it draws any. */
  readonly figures?: {
    /** Every file name `draw` may return. */
    readonly files: readonly string[];
    /**
     * Draws the figures.
     *
     * @param result - a result of this experiment's `run`
     */
    readonly draw: (
      result: ExperimentResult<unknown, unknown>,
    ) => Promise<Readonly<Record<string, string>>>;
    /**
     * The figures drawn for the terminal (printed after the summary; `""` for none).
     *
     * @param result - a result of this experiment's `run`
     */
    readonly terminal?: (result: ExperimentResult<unknown, unknown>) => string;
  };
}

/**
 * Defines an experiment from its typed descriptor: the compiler checks the option table
 * against the configuration and the summary and figures against the result; the returned
 * {@link Experiment} goes into a registry (a front end such as `convexformer experiment`
 * builds its subcommand, `--help`, options, summary and figures from it).
 *
 * @param descriptor - the experiment: name, description, option table, run, whether it
 *   checkpoints, summary and figures
 * @returns the same descriptor, its types erased for a registry
 * @example
 * ```ts
 * import { defineExperiment, type ExperimentResult } from "@convexformer/experiments";
 * interface SquareConfig { readonly size?: number }
 * type SquareResult = ExperimentResult<Required<SquareConfig>, { readonly square: number }>;
 * const square = defineExperiment<SquareConfig, SquareResult>({
 *   name: "square",
 *   description: "squares a number",
 *   options: { size: { kind: "integer", help: "the number", default: 3 } },
 *   checkpoints: false,
 *   run: async (config) => {
 *     const size = config.size ?? 3;
 *     return {
 *       experiment: "square", status: "complete", config: { size }, seed: 0,
 *       software: { runtime: "node" }, startedAt: new Date().toISOString(), timings: {},
 *       metrics: { square: size * size }, curves: {},
 *     };
 *   },
 *   summary: (result) => `square: ${result.metrics.square}\n`,
 * });
 * square.summary(await square.run({ size: 4 }, {})); // "square: 16\n"
 * ```
 */
export function defineExperiment<Config, Result extends ExperimentResult<unknown, unknown>>(
  descriptor: ExperimentDescriptor<Config, Result>,
): Experiment {
  return descriptor as unknown as Experiment;
}
