import { InvalidOptionError, Matrix } from "@convexformer/tensors";
import type { CompositeProblem } from "../composite-problem.js";
import type { LinearOperator } from "../linear-operator.js";
import { denseOperator } from "../operators/dense-operator.js";
import { GroupL2Regularizer } from "../regularizers/group-l2.js";

/** A group-lasso problem restricted to a subset of its groups (all others fixed at zero). */
export interface RestrictedProblem {
  /** The restricted problem in the compact variable `x_W` (the kept groups, in order). */
  readonly problem: CompositeProblem;
  /** The kept groups' indices in the full problem, increasing. */
  readonly groups: Int32Array;
  /** Copies the kept groups of a full vector into a compact one. */
  gather(full: Float64Array, compact: Float64Array): void;
  /** Writes a compact vector into the kept groups of a full one (other entries untouched). */
  scatter(compact: Float64Array, full: Float64Array): void;
}

/**
 * Restricts a weighted group-lasso problem to the groups in `keep`: the working-set and
 * screening machinery solves these small problems and embeds their solutions. Since the
 * dropped groups are zero, `A_W x_W = A x` and the objectives agree. The restricted operator
 * is a compact dense copy of the kept columns when the operator has `toDense`, the sum of
 * `applyColumns` / `adjointColumns` blocks when it has those, and the full operator on a
 * zero-padded vector otherwise.
 *
 * @param problem - a problem whose regularizer has `groups` (group ℓ2 or ℓ1)
 * @param keep - increasing group indices to keep
 * @throws InvalidOptionError when the regularizer has no group structure
 * @example
 * ```ts
 * import { type CompositeProblem, restrictToGroups } from "@convexformer/solvers";
 * declare const problem: CompositeProblem;
 * const sub = restrictToGroups(problem, new Int32Array([0, 3]));
 * sub.problem.dim; // sizes of groups 0 and 3
 * ```
 */
export function restrictToGroups(problem: CompositeProblem, keep: Int32Array): RestrictedProblem {
  const groups = problem.regularizer.groups;
  if (groups === undefined) {
    throw new InvalidOptionError(
      "problem.regularizer",
      problem.regularizer.name,
      "has no group structure to restrict",
    );
  }
  const { ptr, weights } = groups;
  const count = keep.length;
  const subPtr = new Int32Array(count + 1);
  const subWeights = new Float64Array(count);
  for (let k = 0; k < count; k++) {
    const g = keep[k] as number;
    if (!(g >= 0 && g < groups.count) || (k > 0 && g <= (keep[k - 1] as number))) {
      throw new InvalidOptionError(
        `keep[${k}]`,
        g,
        "group indices must be increasing and in range",
      );
    }
    subPtr[k + 1] = (subPtr[k] as number) + (ptr[g + 1] as number) - (ptr[g] as number);
    subWeights[k] = weights[g] as number;
  }
  const dim = subPtr[count] as number;
  const gather = (full: Float64Array, compact: Float64Array): void => {
    for (let k = 0; k < count; k++) {
      const g = keep[k] as number;
      compact.set(full.subarray(ptr[g] as number, ptr[g + 1] as number), subPtr[k] as number);
    }
  };
  const scatter = (compact: Float64Array, full: Float64Array): void => {
    for (let k = 0; k < count; k++) {
      const g = keep[k] as number;
      full.set(compact.subarray(subPtr[k] as number, subPtr[k + 1] as number), ptr[g] as number);
    }
  };
  const operator = restrictOperator(problem.operator, keep, ptr, subPtr, gather, scatter);
  const sub: CompositeProblem = {
    dim,
    operator,
    loss: problem.loss,
    regularizer: new GroupL2Regularizer(problem.regularizer.name, {
      count,
      ptr: subPtr,
      weights: subWeights,
    }),
    lambda: problem.lambda,
  };
  return { problem: sub, groups: keep, gather, scatter };
}

function restrictOperator(
  full: LinearOperator,
  keep: Int32Array,
  ptr: Int32Array,
  subPtr: Int32Array,
  gather: (full: Float64Array, compact: Float64Array) => void,
  scatter: (compact: Float64Array, full: Float64Array) => void,
): LinearOperator {
  const rows = full.rows;
  const count = keep.length;
  const dim = subPtr[count] as number;
  const dense = full.toDense?.();
  if (dense !== undefined) {
    const compact = new Matrix(rows, dim);
    const src = dense.data;
    const dst = compact.data;
    const cols = dense.cols;
    for (let r = 0; r < rows; r++) {
      for (let k = 0; k < count; k++) {
        const g = keep[k] as number;
        const a = ptr[g] as number;
        dst.set(
          src.subarray(r * cols + a, r * cols + (ptr[g + 1] as number)),
          r * dim + (subPtr[k] as number),
        );
      }
    }
    return denseOperator(compact);
  }
  if (full.applyColumns !== undefined && full.adjointColumns !== undefined) {
    const applyColumns = full.applyColumns.bind(full);
    const adjointColumns = full.adjointColumns.bind(full);
    const tmp = new Float64Array(rows);
    return {
      rows,
      cols: dim,
      apply(x, out) {
        out.fill(0);
        for (let k = 0; k < count; k++) {
          const g = keep[k] as number;
          applyColumns(
            ptr[g] as number,
            ptr[g + 1] as number,
            x.subarray(subPtr[k] as number, subPtr[k + 1] as number),
            tmp,
          );
          for (let r = 0; r < rows; r++) out[r] = (out[r] as number) + (tmp[r] as number);
        }
      },
      adjoint(r, out) {
        for (let k = 0; k < count; k++) {
          const g = keep[k] as number;
          adjointColumns(
            ptr[g] as number,
            ptr[g + 1] as number,
            r,
            out.subarray(subPtr[k] as number, subPtr[k + 1] as number),
          );
        }
      },
    };
  }
  const padded = new Float64Array(full.cols);
  const back = new Float64Array(full.cols);
  return {
    rows,
    cols: dim,
    apply(x, out) {
      padded.fill(0);
      scatter(x, padded);
      full.apply(padded, out);
    },
    adjoint(r, out) {
      full.adjoint(r, back);
      gather(back, out);
    },
  };
}
