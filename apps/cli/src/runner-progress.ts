import cliProgress from "cli-progress";
import type { CliIo } from "./cli-io.js";

/**
 * One progress report of a long experiment or fit (the shape of `RunnerProgress` from
 * `@convexformer/experiments`): a phase name and how far it is.
 *
 * @example
 * ```ts
 * import type { PhaseReport } from "./runner-progress.js"; // internal module
 * const p: PhaseReport = { phase: "adam simplex lr=0.01", done: 40, total: 400 };
 * ```
 */
export interface PhaseReport {
  /** What is running now. */
  readonly phase: string;
  /** Units done in this phase. */
  readonly done: number;
  /** Units in this phase. */
  readonly total: number;
  /** A short note (e.g. the current accuracy). */
  readonly message?: string;
}

/**
 * A progress bar for phased work on an interactive terminal (stderr), silent in pipes and CI
 * logs; `stop()` restores the cursor. Redraws at most ten times a second.
 *
 * @param io - where the bar is drawn (stderr); nothing is drawn unless `io.interactive`
 * @example
 * ```ts
 * import { processIo } from "convexformer";
 * import { phaseProgress } from "./runner-progress.js"; // internal module
 * const bar = phaseProgress(processIo());
 * bar.update({ phase: "fit", done: 1, total: 2 });
 * bar.stop();
 * ```
 */
export function phaseProgress(io: CliIo): {
  update(report: PhaseReport): void;
  stop(): void;
} {
  if (!io.interactive) return { update: () => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar(
    {
      format: "{phase} [{bar}] {value}/{total} {message}",
      hideCursor: true,
      clearOnComplete: true,
      stream: process.stderr,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  let phase = "";
  let last = 0;
  return {
    update(report) {
      const now = Date.now();
      if (report.phase === phase && now - last < 100 && report.done < report.total) return;
      last = now;
      const payload = { phase: report.phase, message: report.message ?? "" };
      if (!started) {
        bar.start(Math.max(1, report.total), report.done, payload);
        started = true;
      } else if (report.phase !== phase) {
        bar.setTotal(Math.max(1, report.total));
      }
      phase = report.phase;
      bar.update(report.done, payload);
    },
    stop() {
      if (started) bar.stop();
      started = false;
    },
  };
}
