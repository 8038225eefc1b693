import {
  assertFinite,
  assertInteger,
  assertKnownOptions,
  InvalidOptionError,
  NonFiniteInputError,
  ShapeMismatchError,
} from "@convexformer/tensors";
import type { CompositeProblem } from "./composite-problem.js";
import type { SolveOptions } from "./solver.js";

/**
 * The option names every solver accepts (see {@link SolveOptions}), frozen; a solver passes
 * its own names besides these as `extraKeys` of {@link validateSolveOptions}.
 *
 * @example
 * ```ts
 * import { SOLVE_OPTION_KEYS, validateSolveOptions } from "@convexformer/solvers";
 * SOLVE_OPTION_KEYS; // ["tolerance", "maxIterations", "timeLimitMs", "signal", "warmStart", "onIteration"]
 * const fistaStyle = { tolerance: 1e-8, restart: "none" };
 * validateSolveOptions(fistaStyle, 2, ["restart"]); // accepted: restart is the solver's own key
 * validateSolveOptions(fistaStyle, 2); // throws InvalidOptionError
 * ```
 */
export const SOLVE_OPTION_KEYS: readonly string[] = Object.freeze([
  "tolerance",
  "maxIterations",
  "timeLimitMs",
  "signal",
  "warmStart",
  "onIteration",
]);

/**
 * Checks a problem before a solve: dimensions agree (`operator.cols = regularizer.dim = dim`,
 * `operator.rows = loss.size`), `λ` is finite and `> 0`, the groups (when present) are
 * well-formed, and the operator holds no non-finite data (probed with one `apply` and one
 * `adjoint` of the all-ones vector, which propagates any NaN or infinity in a matrix).
 *
 * @param problem - the problem to check (an object with `dim`, `operator`, `loss`,
 *   `regularizer` and `lambda`); not modified
 * @param argument - the name of the problem in error messages, prefixed to the part at fault
 *   (`"parts"` gives `parts.operator`); default `"problem"`
 * @throws ShapeMismatchError, InvalidOptionError, NonFiniteInputError naming the part at fault
 * @example
 * ```ts
 * import { Matrix } from "@convexformer/tensors";
 * import { denseOperator, groupL2, squaredLoss, validateProblem } from "@convexformer/solvers";
 * validateProblem({
 *   dim: 2,
 *   operator: denseOperator(Matrix.identity(2)),
 *   loss: squaredLoss(new Float64Array([1, -1])),
 *   regularizer: groupL2({ sizes: [1, 1] }),
 *   lambda: 0.125,
 * }); // ok
 * ```
 */
export function validateProblem(problem: CompositeProblem, argument = "problem"): void {
  if (typeof problem !== "object" || problem === null) {
    throw new InvalidOptionError(argument, problem, "must be a CompositeProblem object");
  }
  const { dim, operator, loss, regularizer, lambda } = problem;
  assertInteger(`${argument}.dim`, dim, 0);
  if (operator.cols !== dim) {
    throw new ShapeMismatchError(
      `${argument}.operator`,
      `has ${operator.cols} columns, dim = ${dim}`,
    );
  }
  if (regularizer.dim !== dim) {
    throw new ShapeMismatchError(
      `${argument}.regularizer`,
      `has dim ${regularizer.dim}, problem dim = ${dim}`,
    );
  }
  if (loss.size !== operator.rows) {
    throw new ShapeMismatchError(
      `${argument}.loss`,
      `has size ${loss.size}, operator has ${operator.rows} rows`,
    );
  }
  if (loss.size !== loss.samples * loss.outputs) {
    throw new ShapeMismatchError(
      `${argument}.loss`,
      `size ${loss.size} != samples ${loss.samples} × outputs ${loss.outputs}`,
    );
  }
  if (typeof lambda !== "number" || !Number.isFinite(lambda) || lambda <= 0) {
    throw new InvalidOptionError(`${argument}.lambda`, lambda, "must be a finite number > 0");
  }
  const groups = regularizer.groups;
  if (groups !== undefined) {
    const { count, ptr, weights } = groups;
    if (
      ptr.length !== count + 1 ||
      weights.length !== count ||
      ptr[0] !== 0 ||
      ptr[count] !== dim
    ) {
      throw new ShapeMismatchError(
        `${argument}.regularizer.groups`,
        `ptr must run from 0 to dim = ${dim} over ${count} groups, with ${count} weights`,
      );
    }
    for (let g = 0; g < count; g++) {
      if ((ptr[g + 1] as number) < (ptr[g] as number)) {
        throw new InvalidOptionError(
          `${argument}.regularizer.groups.ptr[${g + 1}]`,
          ptr[g + 1],
          "must be nondecreasing",
        );
      }
      if (!((weights[g] as number) > 0 && Number.isFinite(weights[g]))) {
        throw new InvalidOptionError(
          `${argument}.regularizer.groups.weights[${g}]`,
          weights[g],
          "must be finite and > 0",
        );
      }
    }
  }
  const ones = new Float64Array(dim).fill(1);
  const out = new Float64Array(operator.rows);
  operator.apply(ones, out);
  probe(`${argument}.operator`, out);
  const back = new Float64Array(dim);
  operator.adjoint(out.fill(1), back);
  probe(`${argument}.operator`, back);
}

function probe(argument: string, values: Float64Array): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (v - v !== 0) throw new NonFiniteInputError(argument, i, v);
  }
}

/**
 * Checks the options every solver shares (and rejects unknown keys): `tolerance` finite and
 * `> 0`, `maxIterations` an integer `≥ 0`, `timeLimitMs > 0`, `signal` an `AbortSignal`,
 * `warmStart` finite of length `dim`, `onIteration` a function.
 *
 * @param options - the options given to `solve` (`undefined` passes)
 * @param dim - the problem's dimension, the length `warmStart` must have
 * @param extraKeys - solver-specific option names that are also allowed besides
 *   {@link SOLVE_OPTION_KEYS} (their values are the solver's to check); default none
 * @throws InvalidOptionError, ShapeMismatchError, NonFiniteInputError naming the option
 * @example
 * ```ts
 * import { validateSolveOptions } from "@convexformer/solvers";
 * validateSolveOptions({ tolerance: 1e-8 }, 10); // known keys, valid values: nothing is thrown
 * validateSolveOptions({ tolerance: -1 }, 10); // throws InvalidOptionError
 * ```
 */
export function validateSolveOptions(
  options: SolveOptions | undefined,
  dim: number,
  extraKeys: readonly string[] = [],
): void {
  if (options === undefined) return;
  assertKnownOptions("options", options, [...SOLVE_OPTION_KEYS, ...extraKeys]);
  const { tolerance, maxIterations, timeLimitMs, signal, warmStart, onIteration } = options;
  if (
    tolerance !== undefined &&
    !(typeof tolerance === "number" && Number.isFinite(tolerance) && tolerance > 0)
  ) {
    throw new InvalidOptionError("options.tolerance", tolerance, "must be a finite number > 0");
  }
  if (maxIterations !== undefined) assertInteger("options.maxIterations", maxIterations, 0);
  if (timeLimitMs !== undefined && !(typeof timeLimitMs === "number" && timeLimitMs > 0)) {
    throw new InvalidOptionError("options.timeLimitMs", timeLimitMs, "must be a number > 0");
  }
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new InvalidOptionError("options.signal", signal, "must be an AbortSignal");
  }
  if (onIteration !== undefined && typeof onIteration !== "function") {
    throw new InvalidOptionError("options.onIteration", onIteration, "must be a function");
  }
  if (warmStart !== undefined) {
    if (!(warmStart instanceof Float64Array)) {
      throw new InvalidOptionError("options.warmStart", warmStart, "must be a Float64Array");
    }
    if (warmStart.length !== dim) {
      throw new ShapeMismatchError(
        "options.warmStart",
        `expected length ${dim}, got ${warmStart.length}`,
      );
    }
    assertFinite("options.warmStart", warmStart);
  }
}
