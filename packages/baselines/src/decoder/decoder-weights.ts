import { InvalidOptionError, ShapeMismatchError, validateFinite } from "@convexformer/tensors";
import * as tf from "@tensorflow/tfjs";
import type { Variable } from "@tensorflow/tfjs-core";
import type { NamedWeight } from "../named-weight.js";
import { tensorToFloat64 } from "../tfjs-init.js";

/** Every parameter as float64 with its shape, by name (internal). */
export function exportDecoderWeights(
  params: ReadonlyMap<string, Variable>,
): Record<string, NamedWeight> {
  const out: Record<string, NamedWeight> = {};
  for (const [name, v] of params) out[name] = { shape: [...v.shape], data: tensorToFloat64(v) };
  return out;
}

/**
 * Overwrites every parameter from named weights: all names present with their exact shapes,
 * no unknown names, finite values; nothing is written unless everything checks (internal).
 */
export function loadDecoderWeights(
  params: ReadonlyMap<string, Variable>,
  weights: Record<string, NamedWeight>,
): void {
  for (const name of Object.keys(weights)) {
    if (!params.has(name))
      throw new InvalidOptionError(`weights.${name}`, name, "unknown parameter");
  }
  for (const [name, v] of params) {
    const w = weights[name];
    if (w === undefined) throw new ShapeMismatchError(`weights.${name}`, "missing");
    if (
      w.shape.length !== v.rank ||
      w.shape.some((s, i) => s !== v.shape[i]) ||
      w.data.length !== v.size
    ) {
      throw new ShapeMismatchError(
        `weights.${name}`,
        `expected shape [${v.shape}], got [${w.shape}] with ${w.data.length} entries`,
      );
    }
    validateFinite(`weights.${name}`, w.data);
  }
  for (const [name, v] of params) {
    const w = weights[name] as NamedWeight;
    tf.tidy(() => v.assign(tf.tensor(Float32Array.from(w.data), v.shape, "float32")));
  }
}
