import type { MemoryEstimate, ProgramShape } from "./attention-program.js";

/** Nonzero `n × n` blocks of a sequence solution: the heads it needs (internal). */
export function sequenceHeads(solution: Float64Array, tokens: number): number {
  const nn = tokens * tokens;
  let heads = 0;
  for (let b = 0; b * nn < solution.length; b++) {
    let any = false;
    for (let e = b * nn; e < (b + 1) * nn && !any; e++) any = solution[e] !== 0;
    if (any) heads++;
  }
  return heads;
}

/** Memory of a sequence program with `signs` blocks per (feature, output) (internal). */
export function sequenceMemory(shape: ProgramShape, signs: 1 | 2): MemoryEstimate {
  const { samples: N, tokens: n, features: d, outputs: c } = shape;
  return {
    bytes: 8 * 16 * (signs * d * c * n * n + N * n * c),
    cause: "data",
    detail: `${signs === 2 ? "2 × " : ""}d × c × n × n = ${signs === 2 ? "2 × " : ""}${d} × ${c} × ${n} × ${n} variables`,
  };
}
