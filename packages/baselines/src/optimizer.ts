import {
  InvalidOptionError,
  ShapeMismatchError,
  validateFinite,
  validateInteger,
} from "@convexformer/tensors";
import * as tf from "@tensorflow/tfjs";
import type { Tensor, Variable } from "@tensorflow/tfjs-core";

/**
 * The optimizers the trainers offer.
 *
 * @example
 * ```ts
 * import { Optimizer, type OptimizerName } from "@convexformer/baselines";
 * const names: OptimizerName[] = ["sgd", "adam", "adamw"];
 * names.map((optimizer) => new Optimizer([], { optimizer, learningRate: 0.1 }).options.optimizer); // ["sgd", "adam", "adamw"]
 * ```
 */
export type OptimizerName = "sgd" | "adam" | "adamw";

/**
 * Optimizer settings (PyTorch semantics and defaults).
 *
 * @example
 * ```ts
 * import { Optimizer, type OptimizerOptions } from "@convexformer/baselines";
 * const options: OptimizerOptions = { optimizer: "adamw", learningRate: 1e-3, weightDecay: 0.01, warmupSteps: 100 };
 * const opt = new Optimizer([], options);
 * opt.learningRateAt(49); // 0.0005
 * opt.options.betas; // [0.9, 0.999]
 * opt.options.epsilon; // 1e-8
 * ```
 */
export interface OptimizerOptions {
  /** `"sgd"`, `"adam"` or `"adamw"` (decoupled weight decay). */
  readonly optimizer: OptimizerName;
  /** Peak learning rate, > 0. */
  readonly learningRate: number;
  /** SGD momentum in `[0, 1)` (default 0). */
  readonly momentum?: number;
  /** Adam `(β1, β2)` (default `[0.9, 0.999]`). */
  readonly betas?: readonly [number, number];
  /** Adam `ε` (default 1e-8). */
  readonly epsilon?: number;
  /**
   * Weight decay `λ ≥ 0` (default 0): added to the gradient (`g + λ p`) for SGD and Adam, decoupled
   * (`p ← p − lr·λ·p` before the Adam step) for AdamW.
   */
  readonly weightDecay?: number;
  /** Linear warm-up: step `t` (0-based) uses `lr · min(1, (t + 1) / warmupSteps)` (default 0: none). */
  readonly warmupSteps?: number;
}

/**
 * A snapshot of an {@link Optimizer}'s state: plain data (a name, a step count and float64
 * typed arrays), so it goes into JSON (`Array.from` each array) or `.npy` files (one array per
 * file) and back without loss. {@link Optimizer.exportState} makes it,
 * {@link Optimizer.restoreState} validates and loads it.
 *
 * @example
 * ```ts
 * import type { OptimizerState } from "@convexformer/baselines";
 * const fresh: OptimizerState = { optimizer: "adam", stepCount: 0, first: [new Float64Array(2)], second: [new Float64Array(2)] };
 * fresh.first.length; // 1
 * ```
 */
export interface OptimizerState {
  /** The optimizer that made it; a restore into a different one is refused. */
  readonly optimizer: OptimizerName;
  /**
   * Steps applied so far, an integer ≥ 0: it drives Adam's bias correction `1 − βᵗ`, SGD's
   * first-step momentum and the warm-up's learning rate.
   */
  readonly stepCount: number;
  /**
   * First moments `m` (Adam, AdamW) or momentum buffers (SGD with `momentum > 0`), one array
   * per variable in the optimizer's variable order, each of the variable's size; empty for
   * plain SGD.
   */
  readonly first: readonly Float64Array[];
  /** Second moments `v ≥ 0` (Adam, AdamW), one array per variable like `first`; empty for SGD. */
  readonly second: readonly Float64Array[];
}

const OPTIMIZERS: readonly OptimizerName[] = ["sgd", "adam", "adamw"];

/**
 * A first-order optimizer over a fixed list of tfjs variables: SGD (with momentum), Adam,
 * AdamW, and a linear warm-up, with PyTorch's update rules (Adam's bias correction, `ε` added
 * to `√v̂`). The update is one fused float64 loop per variable over the gradient read back
 * from tfjs (the moment estimates live in float64 arrays), then one write of the new float32
 * values: no tfjs kernel per element-wise operation (about 14 per variable otherwise, each
 * with its own dispatch cost). {@link Optimizer.exportState} / {@link Optimizer.restoreState}
 * save and resume the state exactly; {@link Optimizer.dispose} frees it.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { Optimizer } from "@convexformer/baselines";
 * const w = tf.variable(tf.tensor([1, 2]));
 * const opt = new Optimizer([w], { optimizer: "adamw", learningRate: 1e-3, weightDecay: 1 });
 * tf.tidy(() => opt.apply([tf.ones([2])]));
 * opt.dispose(); w.dispose();
 * ```
 */
export class Optimizer {
  /** The resolved settings. */
  readonly options: Required<OptimizerOptions>;
  /** Number of steps applied so far. */
  stepCount = 0;
  private readonly variables: readonly Variable[];
  private readonly first: Float64Array[] = [];
  private readonly second: Float64Array[] = [];

  /**
   * @param variables - the tfjs variables to update, in a fixed order: {@link Optimizer.apply}'s
   *   gradients and {@link OptimizerState}'s arrays follow it (the list is kept, not copied)
   * @param options - the settings ({@link OptimizerOptions}), validated here
   * @throws `InvalidOptionError` for an unknown optimizer or out-of-range settings
   */
  constructor(variables: readonly Variable[], options: OptimizerOptions) {
    if (typeof options !== "object" || options === null) {
      throw new InvalidOptionError("options", options, "must be an object");
    }
    if (!OPTIMIZERS.includes(options.optimizer)) {
      throw new InvalidOptionError(
        "optimizer",
        options.optimizer,
        `must be one of ${OPTIMIZERS.join(", ")}`,
      );
    }
    const lr = options.learningRate;
    if (typeof lr !== "number" || !Number.isFinite(lr) || lr <= 0) {
      throw new InvalidOptionError("learningRate", lr, "must be a finite number > 0");
    }
    const momentum = options.momentum ?? 0;
    if (!(momentum >= 0 && momentum < 1))
      throw new InvalidOptionError("momentum", momentum, "must be in [0, 1)");
    const betas = options.betas ?? [0.9, 0.999];
    if (!(betas[0] >= 0 && betas[0] < 1 && betas[1] >= 0 && betas[1] < 1)) {
      throw new InvalidOptionError("betas", betas, "both must be in [0, 1)");
    }
    const epsilon = options.epsilon ?? 1e-8;
    if (!(epsilon > 0 && Number.isFinite(epsilon)))
      throw new InvalidOptionError("epsilon", epsilon, "must be > 0");
    const weightDecay = options.weightDecay ?? 0;
    if (!(weightDecay >= 0 && Number.isFinite(weightDecay))) {
      throw new InvalidOptionError("weightDecay", weightDecay, "must be a finite number >= 0");
    }
    const warmupSteps = options.warmupSteps ?? 0;
    validateInteger("warmupSteps", warmupSteps, 0);
    this.options = {
      optimizer: options.optimizer,
      learningRate: lr,
      momentum,
      betas: [betas[0], betas[1]],
      epsilon,
      weightDecay,
      warmupSteps,
    };
    this.variables = variables;
    const needsFirst = options.optimizer !== "sgd" || momentum > 0;
    for (const v of variables) {
      if (needsFirst) this.first.push(new Float64Array(v.size));
      if (options.optimizer !== "sgd") this.second.push(new Float64Array(v.size));
    }
  }

  /**
   * The learning rate step `t` (0-based) uses.
   *
   * @param t - the step, an integer ≥ 0 (0 is the first step)
   *
   * @example
   * ```ts
   * import { Optimizer } from "@convexformer/baselines";
   * new Optimizer([], { optimizer: "sgd", learningRate: 1, warmupSteps: 10 }).learningRateAt(0); // 0.1
   * ```
   */
  learningRateAt(t: number): number {
    const { learningRate, warmupSteps } = this.options;
    return warmupSteps > 0 ? learningRate * Math.min(1, (t + 1) / warmupSteps) : learningRate;
  }

  /**
   * Applies one step with the gradients `grads` (same order as the variables). Call it
   * inside `tf.tidy` (the gradients and temporaries are freed by the tidy).
   *
   * @param grads - one gradient per variable, same order and shapes as the variables given to
   *   the constructor; an `undefined` entry leaves its variable (and its moments) unchanged
   *
   * @example
   * ```ts
   * import * as tf from "@tensorflow/tfjs";
   * import { Optimizer } from "@convexformer/baselines";
   * const w = tf.variable(tf.scalar(1));
   * const opt = new Optimizer([w], { optimizer: "sgd", learningRate: 0.5 });
   * tf.tidy(() => opt.apply([tf.scalar(2)])); // w = 0
   * ```
   */
  apply(grads: readonly Tensor[]): void {
    const { optimizer, momentum, betas, epsilon, weightDecay } = this.options;
    const lr = this.learningRateAt(this.stepCount);
    this.stepCount += 1;
    const t = this.stepCount;
    const [b1, b2] = betas;
    const c1 = 1 - b1 ** t;
    const c2 = Math.sqrt(1 - b2 ** t);
    const decay = optimizer === "adamw" ? 1 - lr * weightDecay : 1;
    const coupled = optimizer === "adamw" ? 0 : weightDecay;
    this.variables.forEach((p, k) => {
      const grad = grads[k];
      if (grad === undefined) return;
      const g = grad.dataSync() as Float32Array;
      const x = p.dataSync() as Float32Array;
      const out = new Float32Array(x.length);
      if (optimizer === "sgd") {
        const buf = this.first[k];
        for (let i = 0; i < x.length; i++) {
          const xi = x[i] as number;
          let gi = (g[i] as number) + coupled * xi;
          if (buf !== undefined) {
            gi = t === 1 ? gi : momentum * (buf[i] as number) + gi;
            buf[i] = gi;
          }
          out[i] = xi - lr * gi;
        }
      } else {
        const m = this.first[k] as Float64Array;
        const v = this.second[k] as Float64Array;
        const step = lr / c1;
        for (let i = 0; i < x.length; i++) {
          const xi = x[i] as number;
          const gi = (g[i] as number) + coupled * xi;
          const mi = b1 * (m[i] as number) + (1 - b1) * gi;
          const vi = b2 * (v[i] as number) + (1 - b2) * gi * gi;
          m[i] = mi;
          v[i] = vi;
          out[i] = xi * decay - (step * mi) / (Math.sqrt(vi) / c2 + epsilon);
        }
      }
      const next = tf.tensor(out, p.shape, "float32");
      p.assign(next);
      next.dispose(); // the variable holds its own reference to the data
    });
  }

  /**
   * A copy of the state ({@link OptimizerState}): the step count and the moment arrays, in
   * float64 exactly as the next {@link Optimizer.apply} would use them. Restoring it with
   * {@link Optimizer.restoreState} into an optimizer with the same settings over variables
   * holding the same values continues the run bit for bit.
   *
   * @example
   * ```ts
   * import * as tf from "@tensorflow/tfjs";
   * import { Optimizer } from "@convexformer/baselines";
   * const w = tf.variable(tf.tensor([1, 2]));
   * const opt = new Optimizer([w], { optimizer: "adam", learningRate: 0.1, betas: [0.5, 0.75] });
   * tf.tidy(() => opt.apply([tf.tensor([2, -4])]));
   * const state = opt.exportState();
   * state.stepCount; // 1
   * Array.from(state.first[0] ?? []); // [1, -2]
   * Array.from(state.second[0] ?? []); // [1, 4]
   * JSON.stringify({ ...state, first: state.first.map((a) => Array.from(a)) }).length > 0; // true
   * opt.dispose(); w.dispose();
   * ```
   */
  exportState(): OptimizerState {
    return {
      optimizer: this.options.optimizer,
      stepCount: this.stepCount,
      first: this.first.map((a) => a.slice()),
      second: this.second.map((a) => a.slice()),
    };
  }

  /**
   * Loads a state from {@link Optimizer.exportState} (or one read back from JSON / `.npy` as
   * `Float64Array`s): the step count and the moment arrays are copied in. Everything is
   * validated before anything changes, so a refused state leaves the optimizer as it was.
   *
   * @param state - the state to load: the same `optimizer` name as this optimizer's, an
   *   integer `stepCount ≥ 0`, and as many `first` / `second` arrays as
   *   {@link Optimizer.exportState} returns here, each a `Float64Array` of its variable's
   *   size with finite values (`second`'s also ≥ 0)
   * @throws `InvalidOptionError` naming the field (`state.optimizer`, `state.stepCount`,
   *   `state.first[k]`, `state.second[k]`) for a wrong name, step count, array type or a
   *   negative second moment; `ShapeMismatchError` for a wrong number or size of arrays;
   *   `NonFiniteInputError` for a NaN or infinite value
   *
   * @example
   * ```ts
   * import * as tf from "@tensorflow/tfjs";
   * import { Optimizer } from "@convexformer/baselines";
   * const w = tf.variable(tf.tensor([1, 2]));
   * const a = new Optimizer([w], { optimizer: "adam", learningRate: 0.1 });
   * tf.tidy(() => a.apply([tf.tensor([2, -4])]));
   * const b = new Optimizer([w], { optimizer: "adam", learningRate: 0.1 });
   * b.restoreState(a.exportState());
   * b.stepCount; // 1
   * b.restoreState({ ...a.exportState(), stepCount: -1 }); // throws InvalidOptionError
   * ```
   */
  restoreState(state: OptimizerState): void {
    if (typeof state !== "object" || state === null) {
      throw new InvalidOptionError("state", state, "must be an object from exportState()");
    }
    if (state.optimizer !== this.options.optimizer) {
      throw new InvalidOptionError(
        "state.optimizer",
        state.optimizer,
        `must be "${this.options.optimizer}", this optimizer's`,
      );
    }
    if (!Number.isSafeInteger(state.stepCount) || state.stepCount < 0) {
      throw new InvalidOptionError("state.stepCount", state.stepCount, "must be an integer >= 0");
    }
    const check = (name: "first" | "second", into: Float64Array[]): void => {
      const from: unknown = state[name];
      if (!Array.isArray(from)) {
        throw new InvalidOptionError(`state.${name}`, from, "must be an array of Float64Array");
      }
      if (from.length !== into.length) {
        throw new ShapeMismatchError(
          `state.${name}`,
          `expected ${into.length} arrays (one per variable${into.length === 0 ? ", none for this optimizer" : ""}), got ${from.length}`,
        );
      }
      into.forEach((a, k) => {
        const src: unknown = from[k];
        const field = `state.${name}[${k}]`;
        if (!(src instanceof Float64Array)) {
          throw new InvalidOptionError(field, typeof src, "must be a Float64Array");
        }
        if (src.length !== a.length) {
          throw new ShapeMismatchError(field, `expected ${a.length} values, got ${src.length}`);
        }
        validateFinite(field, src);
        if (name === "second") {
          const i = src.findIndex((x) => x < 0);
          if (i >= 0) throw new InvalidOptionError(`${field}[${i}]`, src[i], "must be >= 0");
        }
      });
    };
    check("first", this.first);
    check("second", this.second);
    this.first.forEach((a, k) => {
      a.set(state.first[k] as Float64Array);
    });
    this.second.forEach((a, k) => {
      a.set(state.second[k] as Float64Array);
    });
    this.stepCount = state.stepCount;
  }

  /**
   * Frees the optimizer state.
   *
   * @example
   * ```ts
   * import { Optimizer } from "@convexformer/baselines";
   * new Optimizer([], { optimizer: "adam", learningRate: 1e-3 }).dispose();
   * ```
   */
  dispose(): void {
    this.first.length = 0;
    this.second.length = 0;
  }
}
