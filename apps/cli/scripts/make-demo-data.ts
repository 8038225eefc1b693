// Writes the demo's embedded default dataset (apps/cli/data/demo/*.npy), deterministically:
//   node --import tsx apps/cli/scripts/make-demo-data.ts
// A planted sparse-attention teacher: N = 240 samples of n = 8 tokens × d = 6 features,
// X ~ N(0, 1); the target is a two-head simplex-attention network (8) whose heads attend to
// tokens 2 and 5 (0-based), plus N(0, 0.1²) noise. The first 180 samples train, the rest test.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { createRng } from "@convexformer/tensors";
import { writeNpyFile } from "@convexformer/tensors/node";

const N = 240;
const n = 8;
const d = 6;
const rng = createRng(20221121);
const X = rng.fillNormal(new Float64Array(N * n * d));
const heads = [
  { token: 2, alpha: 1.5, w2: rng.fillNormal(new Float64Array(d)) },
  { token: 5, alpha: -1.0, w2: rng.fillNormal(new Float64Array(d)) },
];
const y = new Float64Array(N);
for (let i = 0; i < N; i++) {
  let v = 0;
  for (const h of heads) {
    for (let q = 0; q < d; q++) v += h.alpha * X[(i * n + h.token) * d + q]! * h.w2[q]!;
  }
  y[i] = v + 0.1 * rng.normal();
}
const dir = join(import.meta.dirname, "..", "data", "demo");
mkdirSync(dir, { recursive: true });
await writeNpyFile(join(dir, "X.npy"), { dtype: "float64", shape: [N, n, d], data: X });
await writeNpyFile(join(dir, "y.npy"), { dtype: "float64", shape: [N], data: y });
console.log(
  `wrote ${dir}: X ${N}×${n}×${d}, y ${N}; teacher tokens ${heads.map((h) => h.token).join(", ")}`,
);
