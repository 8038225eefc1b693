import { createRng, TokenBatch } from "@convexformer/tensors";
import { describe, expect, it } from "vitest";
import { gatePatterns } from "./gate-patterns.js";
import { sampleGates } from "./sample-gates.js";

describe("gate patterns and sampling", () => {
  it("computes large problems block by block with the patterns of the definition", () => {
    // P · (N + nd) = 1100 · 4004 > 2^22: the blocked path
    const N = 4000;
    const n = 2;
    const d = 2;
    const P = 1100;
    const rng = createRng(5);
    const X = new TokenBatch(N, n, d, rng.fillNormal(new Float64Array(N * n * d)));
    const u1 = rng.fillNormal(new Float64Array(P * n));
    const u2 = rng.fillNormal(new Float64Array(P * d));
    const mask = gatePatterns({ u1, u2 }, X);
    let mismatches = 0;
    for (let i = 0; i < N; i++) {
      for (let j = 0; j < P; j++) {
        let s = 0;
        for (let k = 0; k < n; k++)
          for (let q = 0; q < d; q++)
            s += u1[j * n + k]! * X.data[(i * n + k) * d + q]! * u2[j * d + q]!;
        // a score within rounding of 0 may go either way
        if (Math.abs(s) > 1e-12 && mask[i * P + j] !== (s >= 0 ? 1 : 0)) mismatches++;
      }
    }
    expect(mismatches).toBe(0);
  });

  it("stops with an AbortError when its signal is aborted, before or during the sampling", () => {
    const rng = createRng(2);
    const X = new TokenBatch(3000, 2, 2, rng.fillNormal(new Float64Array(3000 * 4)));
    const before = new AbortController();
    before.abort();
    expect(() => sampleGates(X, 10, { signal: before.signal })).toThrow(
      expect.objectContaining({ name: "AbortError" }),
    );
    // a signal that turns aborted on its third reading: stops between blocks of gates
    const during = new AbortController();
    let reads = 0;
    const signal = during.signal;
    Object.defineProperty(signal, "aborted", { get: () => ++reads >= 3 });
    expect(() => sampleGates(X, 2000, { signal })).toThrow(/sampleGates|gatePatterns/);
    expect(reads).toBe(3);
    expect(() => sampleGates(X, 4, { signal: "stop" as unknown as AbortSignal })).toThrow(
      /options\.signal/,
    );
  });
});
