import * as tf from "@tensorflow/tfjs";
import { DecoderTransformer, setupTfjs, fastMatMul } from "../src/index.js";
await setupTfjs();
const p = 97, N = 512;
const toks: number[] = []; const labels: number[] = [];
for (let i = 0; i < N; i++) { toks.push(i % p, p, (i * 7) % p, p + 1); labels.push(i % p); }
const m = new DecoderTransformer({ vocabSize: p + 2, sequenceLength: 4, width: 128, heads: 4, layers: 2 });
const data = m.dataset(Int32Array.from(toks), Int32Array.from(labels));
const vars = m.trainableVariables as tf.Variable[];
function time(name: string, f: () => void, reps = 5) { f(); const t = performance.now(); for (let i = 0; i < reps; i++) f(); console.log(name, ((performance.now() - t) / reps).toFixed(1)); }
time("forward", () => { const l = m.batchLoss({ inputs: data.inputs, targets: data.targets }, N); l.dataSync(); l.dispose(); });
time("grads", () => { const { value, grads } = tf.variableGrads(() => m.batchLoss({ inputs: data.inputs, targets: data.targets }, N), vars); value.dataSync(); tf.dispose(grads); value.dispose(); });
const profile = await tf.profile(() => { const { value, grads } = tf.variableGrads(() => m.batchLoss({ inputs: data.inputs, targets: data.targets }, N), vars); value.dataSync(); tf.dispose(grads); value.dispose(); });
const agg = new Map<string, number>();
for (const k of profile.kernels) agg.set(k.name, (agg.get(k.name) ?? 0) + (k.kernelTimeMs as number));
console.log([...agg.entries()].sort((a, b) => b[1] - a[1]).slice(0, 20));
const before = tf.memory().numTensors;
for (let i = 0; i < 3; i++) tf.tidy(() => { const { value, grads } = tf.variableGrads(() => m.batchLoss({ inputs: data.inputs, targets: data.targets }, N), vars); return value; }).dispose();
console.log("leak/3 steps", tf.memory().numTensors - before);
const prof2 = await tf.profile(() => { const { value, grads } = tf.variableGrads(() => m.batchLoss({ inputs: data.inputs, targets: data.targets }, N), vars); value.dataSync(); tf.dispose(grads); value.dispose(); });
for (const k of prof2.kernels.filter((k) => k.name === "BatchMatMul" || k.name === "Transpose").sort((a, b) => (b.kernelTimeMs as number) - (a.kernelTimeMs as number)).slice(0, 25)) console.log(k.name, (k.kernelTimeMs as number).toFixed(1), JSON.stringify(k.inputShapes));
