import { InvalidOptionError } from "@convexformer/tensors";
import type { CheckpointCodec, EncodedCheckpoint } from "../checkpoint-codec.js";
import type { IterationRecord } from "../solver.js";
import type { FistaCheckpoint, FistaRoundState } from "./fista-checkpoint.js";

/**
 * FISTA's checkpoint codec: the scalars, the monitor's state (without its best iterate), the
 * history and the working-set round as fields; the arrays `x` (the iterate, the previous
 * iterate, the best iterate) and `ax` (their images `A x`, `A x_prev`). @internal
 */
export const fistaCheckpointCodec: CheckpointCodec<FistaCheckpoint> = {
  arrays: { x: 3, ax: 2 },
  encode(checkpoint: FistaCheckpoint): EncodedCheckpoint {
    const { monitor, round } = checkpoint;
    return {
      fields: {
        mode: checkpoint.mode,
        lipschitz: checkpoint.lipschitz,
        t: checkpoint.t,
        beta: checkpoint.beta,
        steps: checkpoint.steps,
        monitor: {
          iteration: monitor.iteration,
          bestDual: monitor.bestDual,
          bestObjective: monitor.bestObjective,
          reference: monitor.reference,
          stride: monitor.stride,
          history: monitor.history,
        },
        ...(round === undefined
          ? {}
          : {
              round: {
                ...round,
                keep: Array.from(round.keep),
                screened: Array.from(round.screened),
              },
            }),
      },
      arrays: {
        x: [
          Float64Array.from(checkpoint.x),
          Float64Array.from(checkpoint.xPrevious),
          Float64Array.from(monitor.bestX),
        ],
        ax: [Float64Array.from(checkpoint.Ax), Float64Array.from(checkpoint.AxPrevious)],
      },
    };
  },
  decode(encoded: EncodedCheckpoint): FistaCheckpoint {
    const f = encoded.fields;
    const m = record(f.monitor, "checkpoint.monitor");
    if (!Array.isArray(m.history))
      throw new InvalidOptionError(
        "checkpoint.monitor.history",
        typeof m.history,
        "must be an array",
      );
    const [x, xPrevious, bestX] = vectors(encoded, "x", 3) as [
      Float64Array,
      Float64Array,
      Float64Array,
    ];
    const [Ax, AxPrevious] = vectors(encoded, "ax", 2) as [Float64Array, Float64Array];
    const round =
      f.round === undefined ? undefined : decodeRound(record(f.round, "checkpoint.round"));
    // the solve validates every field's type and length again against the problem
    return {
      solver: "fista",
      mode: f.mode as FistaCheckpoint["mode"],
      x,
      xPrevious,
      Ax,
      AxPrevious,
      lipschitz: f.lipschitz as number,
      t: f.t as number,
      beta: f.beta as number,
      steps: f.steps as number,
      monitor: {
        iteration: m.iteration as number,
        bestDual: m.bestDual as number,
        bestObjective: m.bestObjective as number,
        reference: m.reference as number,
        stride: m.stride as number,
        bestX,
        history: m.history as IterationRecord[],
      },
      ...(round === undefined ? {} : { round }),
    };
  },
};

function decodeRound(r: Record<string, unknown>): FistaRoundState {
  if (!Array.isArray(r.keep) || !Array.isArray(r.screened))
    throw new InvalidOptionError(
      "checkpoint.round",
      typeof r.keep,
      "must hold keep and screened arrays",
    );
  return {
    keep: Int32Array.from(r.keep as number[]),
    screened: Uint8Array.from(r.screened as number[]),
    step: r.step as number,
    tolerance: r.tolerance as number,
    complete: r.complete === true,
    tighten: r.tighten as number,
    lastBase: r.lastBase as number,
    fresh: r.fresh === true,
    ended: r.ended === true,
  };
}

function record(value: unknown, name: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new InvalidOptionError(name, typeof value, "is missing (must be an object)");
  return value as Record<string, unknown>;
}

function vectors(encoded: EncodedCheckpoint, name: string, count: number): Float64Array[] {
  const list = encoded.arrays[name];
  if (list === undefined || list.length !== count || !list.every((v) => v instanceof Float64Array))
    throw new InvalidOptionError(
      `checkpoint.arrays.${name}`,
      list?.length,
      `must hold ${count} Float64Array vectors`,
    );
  return list.map((v) => Float64Array.from(v));
}
