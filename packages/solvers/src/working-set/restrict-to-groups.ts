import { InvalidOptionError, Matrix } from "@convexformer/tensors";
import type { CompositeProblem } from "../composite-problem.js";
import type { LinearOperator } from "../linear-operator.js";
import { denseAdjoint, denseApply } from "../operators/dense-kernels.js";
import { denseOperator } from "../operators/dense-operator.js";
import { GroupL2Regularizer } from "../regularizers/group-l2.js";

/**
 * A group-lasso problem restricted to a subset of its groups (all others fixed at zero).
 *
 * @example
 * ```ts
 * import { createProblem, denseOperator, groupL2, type RestrictedProblem, restrictToGroups, squaredLoss } from "@convexformer/solvers";
 * import { Matrix } from "@convexformer/tensors";
 * // groups of sizes 1, 2, 1, 2: coordinates [0], [1, 2], [3], [4, 5]
 * const problem = createProblem({
 *   operator: denseOperator(Matrix.identity(6)),
 *   loss: squaredLoss(new Float64Array(6).fill(1)),
 *   regularizer: groupL2({ sizes: [1, 2, 1, 2] }),
 *   lambda: 0.1,
 * });
 * const sub: RestrictedProblem = restrictToGroups(problem, new Int32Array([0, 3]));
 * sub.strategy; // "compact"
 * sub.problem.dim; // 3
 * const compact = new Float64Array(3);
 * sub.gather(new Float64Array([1, 2, 3, 4, 5, 6]), compact);
 * compact; // Float64Array [1, 5, 6]
 * const full = new Float64Array(6);
 * sub.scatter(new Float64Array([7, 8, 9]), full);
 * full; // Float64Array [7, 0, 0, 0, 8, 9]
 * ```
 */
export interface RestrictedProblem {
  /** The restricted problem in the compact variable `x_W` (the kept groups, in order). */
  readonly problem: CompositeProblem;
  /** The kept groups' indices in the full problem, increasing. */
  readonly groups: Int32Array;
  /**
   * How the restricted operator works: `"full"` (every group kept: the problem itself),
   * `"operator"` (the operator's own `restrictColumns`), `"compact"` (a dense copy of the kept
   * columns), `"runs"` (one `applyColumns` / `adjointColumns` call per run of contiguous kept
   * columns) or `"padded"` (the full operator on a zero-padded vector).
   */
  readonly strategy: "full" | "operator" | "compact" | "runs" | "padded";
  /**
   * Copies the kept groups of a full vector into a compact one.
   *
   * @param full - a vector of the full problem, length `dim` of the full problem (read only)
   * @param compact - receives the kept groups' entries in order, length `problem.dim` of the
   *   restricted problem; overwritten completely
   */
  gather(full: Float64Array, compact: Float64Array): void;
  /**
   * Writes a compact vector into the kept groups of a full one (other entries untouched).
   *
   * @param compact - a vector of the restricted problem, length `problem.dim` (read only)
   * @param full - a vector of the full problem, length `dim` of the full problem; only the kept
   *   groups' entries are written (zero the others first to embed a restricted solution)
   */
  scatter(compact: Float64Array, full: Float64Array): void;
}

const DEFAULT_MAX_COMPACT = 2 ** 23;

/**
 * Restricts a weighted group-lasso problem to the groups in `keep`: the working-set and
 * screening machinery solves these small problems and embeds their solutions. Since the
 * dropped groups are zero, `A_W x_W = A x` and the objectives agree.
 *
 * The restricted operator costs `O(rows × kept columns)` per product whenever the operator
 * exposes its columns: keeping every group returns the problem's own operator; an operator
 * with `restrictColumns` restricts itself (the attention operators: one blocked product over
 * the kept blocks, with no copy of the design); otherwise the kept columns are copied once
 * into a compact dense matrix (from `options.dense`, or column by column through
 * `applyColumns` on unit vectors, `O(rows)` each) when that copy
 * is at most `maxCompactEntries`; failing that, contiguous kept groups are merged into runs,
 * one block kernel on the dense matrix per run (when at most half the columns are kept) or
 * one `applyColumns` / `adjointColumns` call per run (at most a quarter: column access of
 * implicit operators is often several times less efficient per column than their full
 * products); otherwise, the full operator on a zero-padded vector.
 *
 * @param problem - a problem whose regularizer has `groups` (group ℓ2 or ℓ1)
 * @param keep - increasing group indices to keep
 * @param options - `dense`: the operator as a dense matrix, to copy the kept columns from (a
 * solver that restricts many times passes one `toDense()` result; default none: columns come
 * from `applyColumns`, or from `toDense()` when the operator has no `applyColumns`);
 * `maxCompactEntries`: the largest compact copy, in entries (`rows × kept columns`; default
 * `2^23`, 64 MiB)
 * @throws InvalidOptionError when the regularizer has no group structure or `keep` is not
 * increasing and in range
 * @example
 * ```ts
 * import {
 *   createProblem,
 *   denseOperator,
 *   groupL2,
 *   restrictToGroups,
 *   squaredLoss,
 * } from "@convexformer/solvers";
 * import { Matrix } from "@convexformer/tensors";
 * const problem = createProblem({
 *   operator: denseOperator(Matrix.identity(6)),
 *   loss: squaredLoss(new Float64Array(6).fill(1)),
 *   regularizer: groupL2({ sizes: [1, 2, 1, 2] }),
 *   lambda: 0.1,
 * });
 * const sub = restrictToGroups(problem, new Int32Array([0, 3]));
 * sub.problem.dim; // 3
 * // the sizes of groups 0 and 3
 * ```
 */
export function restrictToGroups(
  problem: CompositeProblem,
  keep: Int32Array,
  options: { readonly dense?: Matrix; readonly maxCompactEntries?: number } = {},
): RestrictedProblem {
  const groups = problem.regularizer.groups;
  if (groups === undefined) {
    throw new InvalidOptionError(
      "problem.regularizer",
      problem.regularizer.name,
      "has no group structure to restrict",
    );
  }
  const maxCompact = options.maxCompactEntries ?? DEFAULT_MAX_COMPACT;
  if (!(typeof maxCompact === "number" && maxCompact >= 0)) {
    throw new InvalidOptionError("options.maxCompactEntries", maxCompact, "must be a number >= 0");
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
  // runs of contiguous kept columns: [runStart[t], runStart[t] + runLength[t]) ↔ compact runOffset[t]
  const runStart: number[] = [];
  const runLength: number[] = [];
  const runOffset: number[] = [];
  for (let k = 0; k < count; k++) {
    const g = keep[k] as number;
    const a = ptr[g] as number;
    const len = (ptr[g + 1] as number) - a;
    if (len === 0) continue;
    const t = runStart.length - 1;
    if (t >= 0 && (runStart[t] as number) + (runLength[t] as number) === a) {
      runLength[t] = (runLength[t] as number) + len;
    } else {
      runStart.push(a);
      runLength.push(len);
      runOffset.push(subPtr[k] as number);
    }
  }
  const runs = runStart.length;
  const gather = (full: Float64Array, compact: Float64Array): void => {
    for (let t = 0; t < runs; t++) {
      const a = runStart[t] as number;
      compact.set(full.subarray(a, a + (runLength[t] as number)), runOffset[t] as number);
    }
  };
  const scatter = (compact: Float64Array, full: Float64Array): void => {
    for (let t = 0; t < runs; t++) {
      const o = runOffset[t] as number;
      full.set(compact.subarray(o, o + (runLength[t] as number)), runStart[t] as number);
    }
  };
  const runList = { runStart, runLength, runOffset };
  if (dim === problem.dim) {
    return { problem, groups: keep, strategy: "full", gather, scatter };
  }
  const { operator, strategy } = restrictOperator(
    problem.operator,
    dim,
    runList,
    options.dense,
    maxCompact,
    gather,
    scatter,
  );
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
  return { problem: sub, groups: keep, strategy, gather, scatter };
}

interface Runs {
  readonly runStart: number[];
  readonly runLength: number[];
  readonly runOffset: number[];
}

function restrictOperator(
  full: LinearOperator,
  dim: number,
  { runStart, runLength, runOffset }: Runs,
  given: Matrix | undefined,
  maxCompact: number,
  gather: (full: Float64Array, compact: Float64Array) => void,
  scatter: (compact: Float64Array, full: Float64Array) => void,
): { operator: LinearOperator; strategy: RestrictedProblem["strategy"] } {
  const rows = full.rows;
  const runs = runStart.length;
  const own = full.restrictColumns?.(runStart, runLength);
  if (own !== undefined) {
    if (own.rows !== rows || own.cols !== dim) {
      throw new InvalidOptionError(
        "operator.restrictColumns",
        `${own.rows} × ${own.cols}`,
        `must return a ${rows} × ${dim} operator`,
      );
    }
    return { operator: own, strategy: "operator" };
  }
  const compactFits = rows * dim <= maxCompact;
  let dense = given;
  if (dense === undefined && full.applyColumns === undefined) dense = full.toDense?.();
  if (dense !== undefined && (dense.rows !== rows || dense.cols !== full.cols)) dense = undefined;
  if (compactFits && dense !== undefined) {
    const compact = new Matrix(rows, dim);
    const src = dense.data;
    const dst = compact.data;
    const cols = dense.cols;
    for (let r = 0; r < rows; r++) {
      for (let t = 0; t < runs; t++) {
        const a = r * cols + (runStart[t] as number);
        dst.set(src.subarray(a, a + (runLength[t] as number)), r * dim + (runOffset[t] as number));
      }
    }
    return { operator: denseOperator(compact), strategy: "compact" };
  }
  if (compactFits && full.applyColumns !== undefined) {
    // column by column: one applyColumns on a unit vector, O(rows) each
    const compact = new Matrix(rows, dim);
    const dst = compact.data;
    const one = new Float64Array([1]);
    const col = new Float64Array(rows);
    for (let t = 0; t < runs; t++) {
      const a = runStart[t] as number;
      const o = runOffset[t] as number;
      for (let j = 0; j < (runLength[t] as number); j++) {
        full.applyColumns(a + j, a + j + 1, one, col);
        for (let r = 0; r < rows; r++) dst[r * dim + o + j] = col[r] as number;
      }
    }
    return { operator: denseOperator(compact), strategy: "compact" };
  }
  const tmp = new Float64Array(rows);
  if (dense !== undefined && 2 * dim <= full.cols) {
    const src = dense.data;
    const cols = dense.cols;
    return {
      strategy: "runs",
      operator: {
        rows,
        cols: dim,
        apply(x, out) {
          out.fill(0);
          for (let t = 0; t < runs; t++) {
            const o = runOffset[t] as number;
            const len = runLength[t] as number;
            denseApply(src, cols, runStart[t] as number, rows, len, x.subarray(o, o + len), tmp);
            for (let r = 0; r < rows; r++) out[r] = (out[r] as number) + (tmp[r] as number);
          }
        },
        adjoint(res, out) {
          for (let t = 0; t < runs; t++) {
            const o = runOffset[t] as number;
            const len = runLength[t] as number;
            denseAdjoint(
              src,
              cols,
              runStart[t] as number,
              rows,
              len,
              res,
              out.subarray(o, o + len),
            );
          }
        },
      },
    };
  }
  // column access of implicit operators is often several times less efficient per column
  // than their full products (one strided product per block instead of one blocked product
  // for all): runs only for at most a quarter of the columns
  if (
    full.applyColumns !== undefined &&
    full.adjointColumns !== undefined &&
    4 * dim <= full.cols
  ) {
    const applyColumns = full.applyColumns.bind(full);
    const adjointColumns = full.adjointColumns.bind(full);
    return {
      strategy: "runs",
      operator: {
        rows,
        cols: dim,
        apply(x, out) {
          out.fill(0);
          for (let t = 0; t < runs; t++) {
            const a = runStart[t] as number;
            const o = runOffset[t] as number;
            const len = runLength[t] as number;
            applyColumns(a, a + len, x.subarray(o, o + len), tmp);
            for (let r = 0; r < rows; r++) out[r] = (out[r] as number) + (tmp[r] as number);
          }
        },
        adjoint(res, out) {
          for (let t = 0; t < runs; t++) {
            const a = runStart[t] as number;
            const o = runOffset[t] as number;
            const len = runLength[t] as number;
            adjointColumns(a, a + len, res, out.subarray(o, o + len));
          }
        },
      },
    };
  }
  // most columns kept (or no column access): the full operator on a zero-padded vector
  const padded = new Float64Array(full.cols);
  const back = new Float64Array(full.cols);
  return {
    strategy: "padded",
    operator: {
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
    },
  };
}
