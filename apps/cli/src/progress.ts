import type { IterationRecord } from "@convexformer/solvers";
import cliProgress from "cli-progress";
import type { CliIo } from "./cli-io.js";

/**
 * A progress display for solves: on a terminal, a bar that fills as the relative duality gap
 * falls (log scale) from 1 to the tolerance; elsewhere (CI logs, pipes) nothing at all.
 *
 * @param io - where the bar is drawn; nothing is drawn unless `io.interactive`
 * @param tolerance - the target relative duality gap in (0, 1): the bar is full when the gap
 *   reaches it
 * @example
 * ```ts
 * import { processIo } from "convexformer";
 * import { gapProgress } from "./progress.js"; // internal module
 * const progress = gapProgress(processIo(), 1e-6);
 * progress.update({ iteration: 1, objective: 1, dualObjective: 0.5, relativeGap: 0.5, elapsedMs: 1 });
 * progress.stop();
 * ```
 */
export function gapProgress(
  io: CliIo,
  tolerance: number,
): { update(record: IterationRecord): void; stop(): void } {
  if (!io.interactive) return { update: () => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar(
    {
      format: "solving [{bar}] gap {gap} | iteration {iteration} | objective {objective}",
      hideCursor: true,
      clearOnComplete: true,
      stream: process.stderr,
    },
    cliProgress.Presets.shades_classic,
  );
  const span = Math.max(1e-12, -Math.log10(tolerance));
  bar.start(100, 0, { gap: "-", iteration: 0, objective: "-" });
  let last = 0;
  let stopped = false;
  return {
    update(record) {
      if (stopped) return;
      const now = Date.now();
      if (now - last < 100) return;
      last = now;
      const done = Number.isFinite(record.relativeGap)
        ? Math.min(
            100,
            Math.max(0, (100 * -Math.log10(Math.max(record.relativeGap, 1e-300))) / span),
          )
        : 0;
      bar.update(Math.round(done), {
        gap: Number.isFinite(record.relativeGap) ? record.relativeGap.toExponential(2) : "-",
        iteration: record.iteration,
        objective: record.objective.toPrecision(8),
      });
    },
    stop() {
      // idempotent: an interrupt stops the bar (restoring the cursor) before the job ends
      if (stopped) return;
      stopped = true;
      bar.stop();
    },
  };
}
