import type { Matrix } from "@convexformer/tensors";
import type { CompositeProblem } from "../composite-problem.js";

/** What a solve must leave as it found it. @internal */
export interface Snapshot {
  readonly warm: Float64Array;
  readonly data: Float64Array;
  readonly ptr: Int32Array | undefined;
  readonly weights: Float64Array | undefined;
  readonly lambda: number;
  readonly dim: number;
  readonly loss: readonly number[];
}

/** Copies of what a solve must leave alone: the warm start, the data, the groups, `λ`, and the loss (probed). */
export function snapshot(problem: CompositeProblem, matrix: Matrix, warm: Float64Array): Snapshot {
  const groups = problem.regularizer.groups;
  const probe = new Float64Array(problem.loss.size).map((_, i) => 0.25 * ((i % 7) - 3));
  const gradient = new Float64Array(problem.loss.size);
  const value = problem.loss.gradient(probe, gradient);
  return {
    warm: Float64Array.from(warm),
    data: Float64Array.from(matrix.data),
    ptr: groups === undefined ? undefined : Int32Array.from(groups.ptr),
    weights: groups === undefined ? undefined : Float64Array.from(groups.weights),
    lambda: problem.lambda,
    dim: problem.dim,
    loss: [value, ...gradient],
  };
}

/** What changed between two snapshots, one message per part. @internal */
export function changes(before: Snapshot, after: Snapshot): string[] {
  const out: string[] = [];
  const compare = (
    what: string,
    a: ArrayLike<number> | undefined,
    b: ArrayLike<number> | undefined,
  ): void => {
    if (a === undefined || b === undefined) return;
    for (let i = 0; i < a.length; i++) {
      if (!Object.is(a[i], b[i])) {
        out.push(`${what}[${i}] changed from ${a[i]} to ${b[i]}`);
        return;
      }
    }
  };
  compare("warmStart", before.warm, after.warm);
  compare("the design matrix's data", before.data, after.data);
  compare("regularizer.groups.ptr", before.ptr, after.ptr);
  compare("regularizer.groups.weights", before.weights, after.weights);
  compare("the loss (value and gradient at a probe point)", before.loss, after.loss);
  if (before.lambda !== after.lambda)
    out.push(`problem.lambda changed from ${before.lambda} to ${after.lambda}`);
  if (before.dim !== after.dim) out.push(`problem.dim changed from ${before.dim} to ${after.dim}`);
  return out;
}
