import { describe, expect, it } from "vitest";
import { InvalidOptionError, ShapeMismatchError } from "../errors.js";
import { Matrix } from "../matrix.js";
import { createRng } from "../rng.js";
import { initTfjs } from "../tfjs-loader.js";
import { TokenBatch } from "../token-batch.js";
import { fromTensor2d, fromTensor3d, toTensor2d, toTensor3d } from "./tfjs.js";

describe("tfjs interop", () => {
  it("Matrix → Tensor2D → Matrix rounds to float32 and keeps the shape", async () => {
    const { tf } = await initTfjs();
    const before = tf.memory().numTensors;
    const m = new Matrix(3, 5, createRng(1).fillNormal(new Float64Array(15)));
    const t = toTensor2d(tf, m);
    expect(t.shape).toEqual([3, 5]);
    expect(t.dtype).toBe("float32");
    const back = fromTensor2d(t);
    expect([back.rows, back.cols]).toEqual([3, 5]);
    expect(Array.from(back.data)).toEqual(Array.from(m.data, Math.fround));
    // tfjs computes with it: sum of the tensor = float32 sum of the entries
    const s = tf.sum(t);
    expect(Math.abs(s.dataSync()[0]! - m.data.reduce((a, b) => a + b, 0))).toBeLessThan(1e-5);
    s.dispose();
    t.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it("TokenBatch → Tensor3D → TokenBatch keeps (N, n, d) and entry positions", async () => {
    const { tf } = await initTfjs();
    const X = new TokenBatch(
      2,
      3,
      4,
      Float64Array.from({ length: 24 }, (_, i) => i),
    );
    const t = toTensor3d(tf, X);
    expect(t.shape).toEqual([2, 3, 4]);
    // tfjs indexing agrees with TokenBatch.get
    const slice = tf.slice(t, [1, 2, 3], [1, 1, 1]);
    expect(slice.dataSync()[0]).toBe(X.get(1, 2, 3));
    slice.dispose();
    const Y = fromTensor3d(t);
    expect([Y.samples, Y.tokens, Y.features]).toEqual([2, 3, 4]);
    expect(Array.from(Y.data)).toEqual(Array.from(X.data));
    t.dispose();
  });

  it("reads int32 and bool tensors as float64", async () => {
    const { tf } = await initTfjs();
    const i = tf.tensor2d([1, -2, 3, 4], [2, 2], "int32");
    expect(fromTensor2d(i).toRows()).toEqual([
      [1, -2],
      [3, 4],
    ]);
    const b = tf.tensor2d([true, false], [1, 2], "bool");
    expect(fromTensor2d(b).toRows()).toEqual([[1, 0]]);
    i.dispose();
    b.dispose();
  });

  it("checks ranks, dtypes, float32 range and arguments", async () => {
    const { tf } = await initTfjs();
    const v = tf.tensor1d([1, 2]);
    expect(() => fromTensor2d(v)).toThrow(ShapeMismatchError);
    expect(() => fromTensor3d(v)).toThrow(/rank-3/);
    v.dispose();
    expect(() => toTensor2d(tf, Matrix.fromRows([[1e300]]))).toThrow(InvalidOptionError);
    // @ts-expect-error: not the tfjs namespace
    expect(() => toTensor2d({}, Matrix.identity(1))).toThrow(/^tf = /);
    // @ts-expect-error: not a Matrix
    expect(() => toTensor2d(tf, [[1]])).toThrow(/^m = /);
    // @ts-expect-error: not a tensor
    expect(() => fromTensor2d([[1]])).toThrow(/^tensor = /);
  });
});
