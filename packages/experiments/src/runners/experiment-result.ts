import type { CheckpointStore, JsonValue } from "@convexformer/io";
import type { SoftwareVersions } from "@convexformer/io/node";

/**
 * A curve: named series of equal length (e.g. `step`, `wallMs`, `objective`).
 *
 * @example
 * ```ts
 * import type { Curve } from "@convexformer/experiments";
 * const c: Curve = { step: [0, 10], objective: [1, 0.5] };
 * ```
 */
export type Curve = Readonly<Record<string, readonly (number | null)[]>>;

/**
 * What every runner returns: a JSON-serializable record of one run.
 *
 * @example
 * ```ts
 * import type { ExperimentResult } from "@convexformer/experiments";
 * const show = (r: ExperimentResult<unknown, { error: number }>) => `${r.experiment}: ${r.metrics.error}`;
 * ```
 */
export interface ExperimentResult<Config, Metrics> {
  /** Which experiment. */
  readonly experiment: string;
  /** `"complete"`, or `"aborted"` when the signal stopped it (the result holds what was done). */
  readonly status: "complete" | "aborted";
  /** The resolved configuration (every default filled in). */
  readonly config: Config;
  /** The seed. */
  readonly seed: number;
  /** Software versions. */
  readonly software: SoftwareVersions;
  /** ISO time the run (or its first part, when resumed) started. */
  readonly startedAt: string;
  /** Timings in milliseconds (`total` and per phase). */
  readonly timings: Readonly<Record<string, number>>;
  /** The numbers the experiment reports. */
  readonly metrics: Metrics;
  /** Curves, by name. */
  readonly curves: Readonly<Record<string, Curve>>;
}

/**
 * Progress of a runner, for progress bars.
 *
 * @example
 * ```ts
 * import type { RunnerProgress } from "@convexformer/experiments";
 * const p: RunnerProgress = { phase: "softmax", done: 250, total: 30000 };
 * ```
 */
export interface RunnerProgress {
  /** The current phase (a model, a solver, …). */
  readonly phase: string;
  /** Units done in this phase (steps, iterations). */
  readonly done: number;
  /** Units planned in this phase. */
  readonly total: number;
  /** A short human-readable status. */
  readonly message?: string;
}

/**
 * Hooks every runner accepts: progress, abort, checkpoints.
 *
 * @example
 * ```ts
 * import type { RunnerHooks } from "@convexformer/experiments";
 * import { memoryCheckpointStore } from "@convexformer/io";
 * const hooks: RunnerHooks = { checkpoint: memoryCheckpointStore(), resume: true, onProgress: (p) => p.done };
 * ```
 */
export interface RunnerHooks {
  /**
   * Called as the run advances.
   *
   * @param progress - where the run is: the phase (a model, a solver), units done and planned in
   *   it, and an optional short message
   */
  readonly onProgress?: (progress: RunnerProgress) => void;
  /** Stops the run; the result has `status: "aborted"` and a last checkpoint is saved. */
  readonly signal?: AbortSignal;
  /** Where checkpoints go (E1, E2). */
  readonly checkpoint?: CheckpointStore;
  /** Checkpoint every this many training steps (default 500). */
  readonly checkpointEvery?: number;
  /** Continue from the store's checkpoint when there is one (default `false`: start afresh). */
  readonly resume?: boolean;
  /** Software versions to record (default: the runtime and tfjs only). */
  readonly software?: SoftwareVersions;
}

/** Turns a value into JSON-safe numbers (non-finite → `null`). */
export function jsonNumber(v: number | undefined): number | null {
  return v === undefined || !Number.isFinite(v) ? null : v;
}

/** The runtime's name and version, browser-safe. */
export function runtimeVersion(): string {
  const p = (globalThis as { process?: { version?: string } }).process;
  return p?.version === undefined ? "unknown" : `node ${p.version}`;
}

/** Keeps at most `max` evenly spaced indices of `length` (always the first and the last). */
export function thinIndices(length: number, max: number): number[] {
  if (length <= max) return Array.from({ length }, (_, i) => i);
  const out: number[] = [];
  for (let k = 0; k < max; k++) out.push(Math.round((k * (length - 1)) / (max - 1)));
  return [...new Set(out)];
}

/** Narrows unknown JSON to a record or fails. */
export function asRecord(value: JsonValue | undefined): Record<string, JsonValue> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, JsonValue>)
    : undefined;
}
