import { createRng, ShapeMismatchError } from "@convexformer/tensors";
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { setupTfjs } from "./tfjs-backend.js";
import { seededNormal } from "./tfjs-init.js";
import { fastMatMul, matMulLastAxis } from "./tfjs-matmul.js";

beforeAll(async () => {
  await setupTfjs();
});

function maxDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0] as number);
}

describe("fastMatMul", () => {
  const cases: [number[], number[], boolean, boolean][] = [
    [[5, 3], [3, 4], false, false],
    [[3, 5], [3, 4], true, false],
    [[5, 3], [4, 3], false, true],
    [[3, 5], [4, 3], true, true],
    [[2, 5, 3], [2, 3, 4], false, false],
    [[2, 3, 5], [2, 4, 3], true, true],
    [[2, 2, 5, 3], [2, 2, 4, 3], false, true],
  ];
  it.each(cases)(
    "values and gradients match tf.matMul for %j x %j (tA=%s, tB=%s)",
    (sa, sb, ta, tb) => {
      const rng = createRng(1);
      const a = seededNormal(rng, sa, 1);
      const b = seededNormal(rng, sb, 1);
      const w = seededNormal(rng, [...tf.matMul(a, b, ta, tb).shape], 1);
      const fast = tf.grads((x: tf.Tensor, y: tf.Tensor) =>
        tf.sum(tf.mul(fastMatMul(x, y, ta, tb), w)),
      );
      const slow = tf.grads((x: tf.Tensor, y: tf.Tensor) =>
        tf.sum(tf.mul(tf.matMul(x, y, ta, tb), w)),
      );
      const before = tf.memory().numTensors;
      const c1 = fastMatMul(a, b, ta, tb);
      const c2 = tf.matMul(a, b, ta, tb);
      expect(c1.shape).toEqual(c2.shape);
      expect(maxDiff(c1, c2)).toBeLessThan(1e-5);
      const [ga1, gb1] = fast([a, b]) as [tf.Tensor, tf.Tensor];
      const [ga2, gb2] = slow([a, b]) as [tf.Tensor, tf.Tensor];
      expect(maxDiff(ga1, ga2)).toBeLessThan(1e-5);
      expect(maxDiff(gb1, gb2)).toBeLessThan(1e-5);
      tf.dispose([c1, c2, ga1, gb1, ga2, gb2]);
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([a, b, w]);
    },
  );

  it("rejects mismatched shapes with ShapeMismatchError", () => {
    const a = tf.zeros([2, 3]);
    const b = tf.zeros([4, 2]);
    expect(() => fastMatMul(a, b)).toThrow(ShapeMismatchError);
    expect(() => fastMatMul(a, tf.zeros([1, 3, 2]))).toThrow(ShapeMismatchError);
    expect(fastMatMul(a, b, true, true).shape).toEqual([3, 4]);
    expect(() => matMulLastAxis(tf.zeros([2, 2, 3]), b)).toThrow(ShapeMismatchError);
    expect(matMulLastAxis(tf.ones([2, 5, 4]), b).shape).toEqual([2, 5, 2]);
  });
});
