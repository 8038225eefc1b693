import {
  InvalidOptionError,
  ShapeMismatchError,
  type TokenBatch,
  validateFinite,
} from "@convexformer/tensors";
import * as tf from "@tensorflow/tfjs";
import type { Scalar, Tensor, Variable } from "@tensorflow/tfjs-core";
import type { AttentionModelConfig } from "./attention-model-config.js";
import { correctCount, lossSum } from "./losses.js";
import type { NamedWeight } from "./named-weight.js";
import type { ProjectedVariable } from "./projected-variable.js";
import { projectOntoSimplex } from "./simplex-projection.js";
import { type Batch, TensorDataset } from "./tensor-dataset.js";
import { tensorToFloat64 } from "./tfjs-init.js";
import type { Evaluation, Trainable } from "./trainable.js";

/**
 * The full-batch objective and its gradient, read back as float64.
 *
 * @example
 * ```ts
 * import { TokenBatch } from "@convexformer/tensors";
 * import { SimplexHeads, type ObjectiveGradients } from "@convexformer/baselines";
 * const m = new SimplexHeads({ tokens: 2, features: 1, heads: 1, beta: 1 });
 * const data = m.dataset(TokenBatch.zeros(3, 2, 1), new Float64Array(3));
 * const g: ObjectiveGradients = m.gradients(data);
 * Object.keys(g.gradients); // ["w1Logits", "w2", "alpha"]
 * g.gradients.w1Logits?.length; // 2
 * data.dispose();
 * m.dispose();
 * ```
 */
export interface ObjectiveGradients {
  /** The regularized objective. */
  readonly objective: number;
  /** Gradient with respect to each raw parameter, by parameter name. */
  readonly gradients: Record<string, Float64Array>;
}

const EVAL_CHUNK = 2048;

/**
 * The common machinery of the attention models: parameters as named tfjs variables, the
 * regularized objective as the training loss, data sets built from float64 token batches,
 * full-set evaluation, float64 predictions and gradients, and the simplex projection hook.
 * Concrete models: {@link StandardAttention} (3), {@link SimplexAttention} (4),
 * {@link SimplexHeads} (8)/(11)/(13), {@link SequenceHeads} (30).
 *
 * Targets passed to {@link AttentionModel.dataset}: scalar outputs `Float64Array(N)`;
 * vector outputs `Float64Array(N·c)` (cross-entropy: also `Int32Array(N)` class indices);
 * sequence outputs `Float64Array(N·n·c)` (cross-entropy: also `Int32Array(N·n)`).
 * Logistic labels are `±1`.
 *
 * @example
 * ```ts
 * import { TokenBatch } from "@convexformer/tensors";
 * import { SimplexHeads } from "@convexformer/baselines";
 * const model = new SimplexHeads({ tokens: 3, features: 2, heads: 2, beta: 0.1 });
 * const X = TokenBatch.zeros(5, 3, 2);
 * model.objective(X, new Float64Array(5)); // regularized objective at the initial weights
 * model.dispose();
 * ```
 */
export abstract class AttentionModel implements Trainable {
  /** The resolved configuration. */
  readonly config: AttentionModelConfig;
  /** Parameters by name, in creation order. */
  protected readonly params: Map<string, Variable> = new Map();
  /** Variables kept on the simplex by projection. */
  protected readonly projected: ProjectedVariable[] = [];
  private disposed = false;

  /** @param config - the resolved common configuration */
  protected constructor(config: AttentionModelConfig) {
    this.config = config;
  }

  /**
   * Predictions for a batch of inputs: `[b]`, `[b, c]` or `[b, n, c]`.
   *
   * @param inputs - float32 token matrices `[b, n, d]` (`b` samples)
   */
  protected abstract forward(inputs: Tensor): Tensor;

  /** The regularizer (already multiplied by `β/2`), a scalar. */
  protected abstract penalty(): Scalar;

  /**
   * Registers a trainable parameter (the model owns and disposes it).
   *
   * @param name - the parameter's name in {@link AttentionModel.parameters} and the weight layouts
   * @param initial - its initial value (disposed here: the variable holds its own copy)
   * @param simplexRowLength - when given, rows of this length are projected onto the simplex
   *   after each step ({@link AttentionModel.afterStep})
   */
  protected addParameter(name: string, initial: Tensor, simplexRowLength?: number): Variable {
    const variable = tf.variable(initial, true);
    initial.dispose();
    this.params.set(name, variable);
    if (simplexRowLength !== undefined)
      this.projected.push({ variable, rowLength: simplexRowLength });
    return variable;
  }

  /**
   * The parameter called `name`.
   *
   * @param name - a name given to {@link AttentionModel.addParameter}
   * @throws `InvalidOptionError` for an unknown name
   */
  protected param(name: string): Variable {
    const v = this.params.get(name);
    if (v === undefined) throw new InvalidOptionError("name", name, "no such parameter");
    return v;
  }

  /**
   * Overwrites parameter `name` with float64 `values` (checked for length and finiteness).
   *
   * @param name - the parameter to overwrite
   * @param values - its new values, row-major, as many as the parameter has entries
   * @param argument - the name errors report (a weight field, e.g. `"weights.w2"`)
   */
  protected assignParameter(name: string, values: Float64Array, argument: string): void {
    const v = this.param(name);
    if (!(values instanceof Float64Array)) {
      throw new InvalidOptionError(argument, typeof values, "must be a Float64Array");
    }
    if (values.length !== v.size) {
      throw new ShapeMismatchError(
        argument,
        `expected ${v.size} entries [${v.shape}], got ${values.length}`,
      );
    }
    validateFinite(argument, values);
    tf.tidy(() => v.assign(tf.tensor(Float32Array.from(values), v.shape, "float32")));
  }

  /**
   * Reads parameter `name` as float64.
   *
   * @param name - a name given to {@link AttentionModel.addParameter}
   */
  protected readParameter(name: string): Float64Array {
    return tensorToFloat64(this.param(name));
  }

  /** The variables the optimizer updates. */
  get trainableVariables(): readonly Variable[] {
    return [...this.params.values()];
  }

  /**
   * Every raw parameter (the trained variables, e.g. simplex logits for the `"softmax"`
   * parameterization) as float64 arrays, by name, with shapes.
   *
   * @example
   * ```ts
   * import { SimplexHeads } from "@convexformer/baselines";
   * const m = new SimplexHeads({ tokens: 3, features: 2, heads: 1 });
   * Object.keys(m.parameters()); // ["w1Logits", "w2", "alpha"]
   * ```
   */
  parameters(): Record<string, NamedWeight> {
    const out: Record<string, NamedWeight> = {};
    for (const [name, v] of this.params)
      out[name] = { shape: [...v.shape], data: tensorToFloat64(v) };
    return out;
  }

  /**
   * Builds a data set for this model from float64 inputs and targets (shapes and values
   * checked against the configuration; see the class docs for the target layouts).
   *
   * @param inputs - `N` token matrices `n × d` (the model's `tokens` and `features`), finite
   * @param targets - `N` (scalar), `N·c` (vector) or `N·n·c` (sequence) float64 values
   *   (logistic: `±1`), or for cross-entropy `Int32Array` class indices in `[0, c)` (`N`, or
   *   `N·n` for sequence outputs)
   * @throws `ShapeMismatchError` / `InvalidOptionError` naming `inputs` or `targets`
   *
   * @example
   * ```ts
   * import { TokenBatch } from "@convexformer/tensors";
   * import { SimplexHeads } from "@convexformer/baselines";
   * const m = new SimplexHeads({ tokens: 2, features: 1, heads: 2 });
   * const data = m.dataset(TokenBatch.zeros(4, 2, 1), new Float64Array(4));
   * data.dispose();
   * ```
   */
  dataset(inputs: TokenBatch, targets: Float64Array | Int32Array): TensorDataset {
    const { tokens: n, features: d, outputs: c, output, loss } = this.config;
    if (inputs.tokens !== n || inputs.features !== d) {
      throw new ShapeMismatchError(
        "inputs",
        `expected N x ${n} x ${d} token matrices, got ${inputs.samples} x ${inputs.tokens} x ${inputs.features}`,
      );
    }
    validateFinite("inputs", inputs.data);
    const N = inputs.samples;
    const rows = output === "sequence" ? N * n : N;
    const shape = output === "scalar" ? [N] : output === "vector" ? [N, c] : [N, n, c];
    let targetTensor: Tensor;
    if (targets instanceof Int32Array) {
      if (loss !== "cross-entropy") {
        throw new InvalidOptionError(
          "targets",
          "Int32Array",
          "class indices need the cross-entropy loss",
        );
      }
      if (targets.length !== rows) {
        throw new ShapeMismatchError(
          "targets",
          `expected ${rows} class indices, got ${targets.length}`,
        );
      }
      for (let i = 0; i < rows; i++) {
        const t = targets[i] as number;
        if (t < 0 || t >= c)
          throw new InvalidOptionError(`targets[${i}]`, t, `must be a class in [0, ${c})`);
      }
      targetTensor = tf.tidy(() =>
        tf.cast(tf.oneHot(tf.tensor1d(targets, "int32"), c), "float32").reshape(shape),
      );
    } else {
      if (!(targets instanceof Float64Array)) {
        throw new InvalidOptionError(
          "targets",
          typeof targets,
          "must be a Float64Array or Int32Array",
        );
      }
      const expected = rows * (output === "scalar" ? 1 : c);
      if (targets.length !== expected) {
        throw new ShapeMismatchError(
          "targets",
          `expected ${expected} entries [${shape}], got ${targets.length}`,
        );
      }
      validateFinite("targets", targets);
      if (loss === "logistic") {
        for (let i = 0; i < targets.length; i++) {
          const t = targets[i];
          if (t !== 1 && t !== -1)
            throw new InvalidOptionError(`targets[${i}]`, t, "logistic labels must be -1 or 1");
        }
      }
      targetTensor = tf.tensor(Float32Array.from(targets), shape, "float32");
    }
    const inputTensor = tf.tensor(Float32Array.from(inputs.data), [N, n, d], "float32");
    return new TensorDataset(inputTensor, targetTensor);
  }

  /**
   * The training loss of a mini-batch (see {@link Trainable.batchLoss}).
   *
   * @param batch - the mini-batch (`inputs` `[b, n, d]`, `targets` as in the data set)
   * @param datasetSize - `N`, the size of the set the batch was drawn from (scales the data
   *   term under `scaling: "sum"`)
   */
  batchLoss(batch: Batch, datasetSize: number): Scalar {
    this.assertLive();
    const b = batch.inputs.shape[0] as number;
    const scale = (this.config.scaling === "sum" ? datasetSize : 1) / b;
    return tf.tidy(() => {
      const data = lossSum(this.config.loss, this.forward(batch.inputs), batch.targets);
      return tf.add(tf.mul(scale, data), this.penalty()) as Scalar;
    });
  }

  /** Projects the `"projection"`-parameterized simplex weights back onto the simplex. */
  afterStep(): void {
    for (const { variable, rowLength } of this.projected) {
      const values = projectOntoSimplex(tensorToFloat64(variable), rowLength);
      tf.tidy(() =>
        variable.assign(tf.tensor(Float32Array.from(values), variable.shape, "float32")),
      );
    }
  }

  /**
   * Objective, data term and accuracy on a whole data set (computed in chunks).
   *
   * @param data - a data set from {@link AttentionModel.dataset} of this model
   *
   * @example
   * ```ts
   * import { TokenBatch } from "@convexformer/tensors";
   * import { SimplexHeads } from "@convexformer/baselines";
   * const m = new SimplexHeads({ tokens: 2, features: 1, heads: 2 });
   * const data = m.dataset(TokenBatch.zeros(4, 2, 1), new Float64Array(4));
   * m.evaluate(data).objective; // 0
   * ```
   */
  evaluate(data: TensorDataset): Evaluation {
    this.assertLive();
    let lossTotal = 0;
    let correct = 0;
    let count = 0;
    for (let start = 0; start < data.size; start += EVAL_CHUNK) {
      const end = Math.min(data.size, start + EVAL_CHUNK);
      const [l, k, m] = tf.tidy(() => {
        const batch = data.slice(start, end);
        const yhat = this.forward(batch.inputs);
        const value = lossSum(this.config.loss, yhat, batch.targets);
        const acc = correctCount(this.config.loss, yhat, batch.targets);
        return [value, acc?.correct ?? tf.scalar(0), tf.scalar(acc?.count ?? 0)];
      });
      lossTotal += l.dataSync()[0] as number;
      correct += k.dataSync()[0] as number;
      count += m.dataSync()[0] as number;
      tf.dispose([l, k, m]);
    }
    const loss = this.config.scaling === "mean" ? lossTotal / data.size : lossTotal;
    const p = this.penalty();
    const penalty = p.dataSync()[0] as number;
    p.dispose();
    return {
      objective: loss + penalty,
      loss,
      accuracy: this.config.loss === "squared" ? undefined : correct / count,
    };
  }

  /**
   * The regularized objective at the current weights on `(inputs, targets)`.
   *
   * @param inputs - token matrices, as for {@link AttentionModel.dataset}
   * @param targets - targets, as for {@link AttentionModel.dataset}
   *
   * @example
   * ```ts
   * import { TokenBatch } from "@convexformer/tensors";
   * import { SimplexHeads } from "@convexformer/baselines";
   * const m = new SimplexHeads({ tokens: 2, features: 1, heads: 1 });
   * m.objective(TokenBatch.zeros(3, 2, 1), new Float64Array([1, 1, 1])); // 1.5 + penalty
   * ```
   */
  objective(inputs: TokenBatch, targets: Float64Array | Int32Array): number {
    const data = this.dataset(inputs, targets);
    try {
      return this.evaluate(data).objective;
    } finally {
      data.dispose();
    }
  }

  /**
   * Predictions as float64, row-major: `N` (scalar), `N·c` (vector) or `N·n·c` (sequence).
   *
   * @param inputs - `N` token matrices `n × d` (the model's `tokens` and `features`), finite
   * @throws `ShapeMismatchError` naming `inputs` for other sizes
   *
   * @example
   * ```ts
   * import { TokenBatch } from "@convexformer/tensors";
   * import { SimplexHeads } from "@convexformer/baselines";
   * const m = new SimplexHeads({ tokens: 2, features: 1, heads: 1 });
   * m.predict(TokenBatch.zeros(3, 2, 1)); // Float64Array [0, 0, 0]
   * ```
   */
  predict(inputs: TokenBatch): Float64Array {
    this.assertLive();
    const { tokens: n, features: d } = this.config;
    if (inputs.tokens !== n || inputs.features !== d) {
      throw new ShapeMismatchError(
        "inputs",
        `expected N x ${n} x ${d}, got ${inputs.samples} x ${inputs.tokens} x ${inputs.features}`,
      );
    }
    validateFinite("inputs", inputs.data);
    const x = tf.tensor(Float32Array.from(inputs.data), [inputs.samples, n, d], "float32");
    const y = tf.tidy(() => this.forward(x));
    x.dispose();
    const out = tensorToFloat64(y);
    y.dispose();
    return out;
  }

  /**
   * The full-batch objective and its gradient with respect to every raw parameter (by the
   * names of {@link AttentionModel.parameters}), read back as float64.
   *
   * @param data - a data set from {@link AttentionModel.dataset}, used as one full batch
   *
   * @example
   * ```ts
   * import { TokenBatch } from "@convexformer/tensors";
   * import { SimplexHeads } from "@convexformer/baselines";
   * const m = new SimplexHeads({ tokens: 2, features: 1, heads: 1, beta: 1 });
   * const data = m.dataset(TokenBatch.zeros(3, 2, 1), new Float64Array(3));
   * const { objective, gradients } = m.gradients(data); // gradients.w2, gradients.alpha, …
   * ```
   */
  gradients(data: TensorDataset): ObjectiveGradients {
    this.assertLive();
    const names = [...this.params.keys()];
    const vars = [...this.params.values()];
    const { value, grads } = tf.variableGrads(
      () => this.batchLoss({ inputs: data.inputs, targets: data.targets }, data.size),
      vars,
    );
    const gradients: Record<string, Float64Array> = {};
    names.forEach((name, k) => {
      const g = grads[(vars[k] as Variable).name];
      gradients[name] =
        g === undefined ? new Float64Array((vars[k] as Variable).size) : tensorToFloat64(g);
    });
    const objective = value.dataSync()[0] as number;
    value.dispose();
    tf.dispose(Object.values(grads));
    return { objective, gradients };
  }

  /**
   * Frees every variable. The model cannot be used afterwards.
   *
   * @example
   * ```ts
   * import { SimplexHeads } from "@convexformer/baselines";
   * new SimplexHeads({ tokens: 2, features: 1, heads: 1 }).dispose();
   * ```
   */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const v of this.params.values()) v.dispose();
    this.disposeExtra();
  }

  /** Frees tensors a subclass holds besides its parameters. */
  protected disposeExtra(): void {}

  private assertLive(): void {
    if (this.disposed) throw new InvalidOptionError("model", "disposed", "the model was disposed");
  }
}
