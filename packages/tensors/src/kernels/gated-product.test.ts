import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { InvalidOptionError, ShapeMismatchError } from "../errors.js";
import { createRng } from "../rng.js";
import { configureKernels } from "../wasm/kernel-config.js";
import {
  createGatedDesign,
  type GatedBlocks,
  type GatedDesign,
  type GatedDesignOptions,
  gatedProduct,
  gatedProductAdjoint,
  jsGatedProduct,
  jsGatedProductAdjoint,
} from "./gated-product.js";

interface Instance {
  options: GatedDesignOptions;
  design: GatedDesign;
  blocks: GatedBlocks;
  Z: Float64Array;
  r: Float64Array;
}

function instance(N: number, F: number, K: number, P: number, c: number, seed: number): Instance {
  const rng = createRng(seed);
  const data = rng.fillUniform(new Float64Array(N * F), -1, 1);
  // mask bytes other than 0/1 count as on
  const gates = Uint8Array.from({ length: N * P }, () => {
    const u = rng.uniform();
    return u < 0.45 ? 0 : u < 0.9 ? 1 : 7;
  });
  const gate = Int32Array.from({ length: K }, () => rng.integer(0, P));
  const output = Int32Array.from({ length: K }, () => rng.integer(0, c));
  const options = { samples: N, features: F, data, gateCount: P, gates, outputs: c };
  return {
    options,
    design: createGatedDesign(options),
    blocks: { count: K, gate, output },
    Z: rng.fillUniform(new Float64Array(K * F), -1, 1),
    r: rng.fillUniform(new Float64Array(N * c), -1, 1),
  };
}

/** The definition, entry by entry. */
function naive({ options, blocks, Z, r }: Instance): { y: Float64Array; G: Float64Array } {
  const { samples: N, features: F, data, gateCount: P, gates, outputs: c } = options;
  const y = new Float64Array(N * c);
  const G = new Float64Array(blocks.count * F);
  for (let t = 0; t < blocks.count; t++) {
    const g = blocks.gate[t] as number;
    const o = blocks.output[t] as number;
    for (let i = 0; i < N; i++) {
      if (gates[i * P + g] === 0) continue;
      let s = 0;
      for (let f = 0; f < F; f++) s += (data[i * F + f] as number) * (Z[t * F + f] as number);
      y[i * c + o] = (y[i * c + o] as number) + s;
      for (let f = 0; f < F; f++)
        G[t * F + f] =
          (G[t * F + f] as number) + (r[i * c + o] as number) * (data[i * F + f] as number);
    }
  }
  return { y, G };
}

function run(inst: Instance): { y: Float64Array; G: Float64Array } {
  const y = new Float64Array(inst.design.samples * inst.design.outputs).fill(Number.NaN);
  const G = new Float64Array(inst.blocks.count * inst.design.features).fill(Number.NaN);
  gatedProduct(inst.design, inst.blocks, inst.Z, y);
  gatedProductAdjoint(inst.design, inst.blocks, inst.r, G);
  return { y, G };
}

function expectClose(got: Float64Array, want: Float64Array, scale: number): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < got.length; i++)
    expect(Math.abs((got[i] as number) - (want[i] as number))).toBeLessThanOrEqual(1e-12 * scale);
}

describe("gatedProduct / gatedProductAdjoint", () => {
  afterAll(async () => {
    await configureKernels({ engine: "auto", threads: "auto" });
  });

  it.each(["js", "wasm-simd"] as const)(
    "match the definition on random shapes, masks and blocks (engine %s)",
    async (engine) => {
      await configureKernels({ engine, threads: 1 });
      fc.assert(
        fc.property(
          fc.integer({ min: 0, max: 40 }),
          fc.integer({ min: 0, max: 12 }),
          fc.integer({ min: 0, max: 20 }),
          fc.integer({ min: 1, max: 5 }),
          fc.integer({ min: 1, max: 3 }),
          fc.integer({ min: 1, max: 2 ** 30 }),
          (N, F, K, P, c, seed) => {
            const inst = instance(N, F, K, P, c, seed);
            const got = run(inst);
            const want = naive(inst);
            expectClose(got.y, want.y, F * K + 1);
            expectClose(got.G, want.G, N + 1);
          },
        ),
        { numRuns: 80 },
      );
    },
  );

  it("are adjoint: ⟨A z, r⟩ = ⟨z, Aᵀ r⟩", () => {
    const inst = instance(57, 9, 14, 4, 3, 11);
    const { y, G } = run(inst);
    let lhs = 0;
    for (let i = 0; i < y.length; i++) lhs += (y[i] as number) * (inst.r[i] as number);
    let rhs = 0;
    for (let i = 0; i < G.length; i++) rhs += (G[i] as number) * (inst.Z[i] as number);
    expect(Math.abs(lhs - rhs)).toBeLessThan(1e-11 * (Math.abs(lhs) + 1));
  });

  it("give the same bits in WebAssembly on 1 and 2 threads as in the JS kernels", async () => {
    // above gemm's crossover and the thread threshold (2000 · 86 · 50 multiply-adds)
    const shapes: [number, number, number, number, number][] = [
      [2000, 50, 86, 100, 1],
      [700, 32, 60, 16, 3],
    ];
    const all = (): Float64Array[] =>
      shapes.flatMap(([N, F, K, P, c], s) => {
        const { y, G } = run(instance(N, F, K, P, c, 100 + s));
        return [y, G];
      });
    await configureKernels({ engine: "js" });
    const js = all();
    await configureKernels({ engine: "wasm-simd", threads: 1 });
    const one = all();
    await configureKernels({ engine: "wasm-simd", threads: 2 });
    const two = all();
    for (let k = 0; k < js.length; k++) {
      expect(one[k]).toEqual(js[k]);
      expect(two[k]).toEqual(js[k]);
    }
  });

  it("keep their own copies: changing the caller's arrays afterwards changes nothing", async () => {
    for (const engine of ["js", "wasm-simd"] as const) {
      await configureKernels({ engine, threads: 1 });
      const inst = instance(300, 20, 40, 8, 2, 9);
      const before = run(inst);
      inst.options.data.fill(0);
      inst.options.gates.fill(0);
      expect(run(inst)).toEqual(before);
    }
  });

  it("read the data in place with copyData: false (JS kernels) and check the option", async () => {
    await configureKernels({ engine: "js" });
    const inst = instance(20, 4, 6, 3, 1, 21);
    const inPlace = { ...inst, design: createGatedDesign({ ...inst.options, copyData: false }) };
    const before = run(inPlace);
    expect(before).toEqual(run(inst));
    inst.options.data.fill(0);
    expect(Array.from(run(inPlace).y)).toEqual(new Array(20).fill(0));
    expect(() =>
      createGatedDesign({ ...inst.options, copyData: "yes" as unknown as boolean }),
    ).toThrow("options.copyData");
  });

  it("keep many designs in wasm memory at once, each with its own data", async () => {
    await configureKernels({ engine: "wasm-simd", threads: 1 });
    const insts = [0, 1, 2, 3].map((k) => instance(200 + k, 16, 30, 4, 1, 40 + k));
    const first = insts.map(run);
    // interleaved calls: each design's kept copy must stay its own
    const again = [...insts].reverse().map(run).reverse();
    for (let k = 0; k < insts.length; k++) {
      expect(again[k]).toEqual(first[k]);
      const want = naive(insts[k] as Instance);
      expectClose((first[k] as { y: Float64Array }).y, want.y, 16 * 30 + 1);
    }
  });

  it("the JS kernels are the ones the public functions fall back to", async () => {
    await configureKernels({ engine: "js" });
    const inst = instance(30, 5, 7, 3, 2, 5);
    const { y, G } = run(inst);
    const y2 = new Float64Array(y.length);
    const G2 = new Float64Array(G.length);
    jsGatedProduct(inst.design, inst.blocks, inst.Z, y2);
    jsGatedProductAdjoint(inst.design, inst.blocks, inst.r, G2);
    expect(y2).toEqual(y);
    expect(G2).toEqual(G);
  });

  it("reject bad arguments with errors naming them", () => {
    const inst = instance(4, 3, 2, 2, 1, 1);
    const y = new Float64Array(4);
    const bad = (f: () => void, type: new (...args: never[]) => Error, name: string) => {
      expect(f).toThrow(type);
      expect(f).toThrow(name);
    };
    bad(
      () => gatedProduct(inst.design, { ...inst.blocks, gate: new Int32Array([0, 2]) }, inst.Z, y),
      InvalidOptionError,
      "blocks.gate[1]",
    );
    bad(
      () =>
        gatedProduct(inst.design, { ...inst.blocks, output: new Int32Array([-1, 0]) }, inst.Z, y),
      InvalidOptionError,
      "blocks.output[0]",
    );
    bad(
      () => gatedProduct(inst.design, inst.blocks, new Float64Array(5), y),
      ShapeMismatchError,
      "Z",
    );
    bad(
      () => gatedProductAdjoint(inst.design, inst.blocks, inst.r, new Float64Array(5)),
      ShapeMismatchError,
      "G",
    );
    bad(
      () => createGatedDesign({ ...inst.options, gates: new Uint8Array(3) }),
      ShapeMismatchError,
      "options.gates",
    );
    bad(
      () => createGatedDesign({ ...inst.options, outputs: 0 }),
      InvalidOptionError,
      "options.outputs",
    );
    bad(
      () => gatedProduct({ ...inst.design }, inst.blocks, inst.Z, y),
      InvalidOptionError,
      "design",
    );
  });
});
