import { assertInteger, InvalidOptionError } from "@convexformer/tensors";
import * as tf from "@tensorflow/tfjs";

/** The optimizers the trainers offer. */
export type OptimizerName = "sgd" | "adam" | "adamw";

/** Optimizer settings (PyTorch semantics and defaults). */
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

const OPTIMIZERS: readonly OptimizerName[] = ["sgd", "adam", "adamw"];

/**
 * A first-order optimizer over a fixed list of tfjs variables: SGD (with momentum), Adam,
 * AdamW, and a linear warm-up, with PyTorch's update rules (Adam's bias correction, `ε` added
 * to `√v̂`). The update is one fused float64 loop per variable over the gradient read back
 * from tfjs (the moment estimates live in float64 arrays), then one write of the new float32
 * values: no tfjs kernel per element-wise operation (about 14 per variable otherwise, each
 * with its own dispatch cost). {@link Optimizer.dispose} frees the state.
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
  private readonly variables: readonly tf.Variable[];
  private readonly first: Float64Array[] = [];
  private readonly second: Float64Array[] = [];

  /**
   * @param variables - the variables to update
   * @param options - the settings
   * @throws `InvalidOptionError` for an unknown optimizer or out-of-range settings
   */
  constructor(variables: readonly tf.Variable[], options: OptimizerOptions) {
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
    assertInteger("warmupSteps", warmupSteps, 0);
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
   * @example
   * ```ts
   * import * as tf from "@tensorflow/tfjs";
   * import { Optimizer } from "@convexformer/baselines";
   * const w = tf.variable(tf.scalar(1));
   * const opt = new Optimizer([w], { optimizer: "sgd", learningRate: 0.5 });
   * tf.tidy(() => opt.apply([tf.scalar(2)])); // w = 0
   * ```
   */
  apply(grads: readonly tf.Tensor[]): void {
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
