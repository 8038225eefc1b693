import * as tf from "@tensorflow/tfjs";
import { DecoderTransformer, setupTfjs, train } from "../src/index.js";

const { backend } = await setupTfjs();
console.log("backend", backend);
function task(p: number) {
  const toks: number[] = []; const labels: number[] = [];
  for (let x = 0; x < p; x++) for (let y = 0; y < p; y++) { toks.push(x, p, y, p + 1); labels.push((x + y) % p); }
  return { tokens: Int32Array.from(toks), labels: Int32Array.from(labels) };
}
{
  const { tokens, labels } = task(5);
  const m = new DecoderTransformer({ vocabSize: 7, sequenceLength: 4, width: 32, heads: 4, layers: 1 });
  const data = m.dataset(tokens, labels);
  const before = tf.memory().numTensors;
  const r = train(m, data, { optimizer: "adamw", learningRate: 3e-3, betas: [0.9, 0.98], weightDecay: 0.1, warmupSteps: 10, steps: 300, evaluateEvery: 50 });
  console.log(r.evaluations.map((e) => [e.step, e.loss.toFixed(4), e.accuracy]), r.stopReason, r.trainMs / r.steps, "ms/step", tf.memory().numTensors - before);
  data.dispose(); m.dispose();
}
for (const [p, d, L] of [[97, 128, 2], [47, 64, 1]] as const) {
  const { tokens, labels } = task(p);
  const N = 512;
  const m = new DecoderTransformer({ vocabSize: p + 2, sequenceLength: 4, width: d, heads: 4, layers: L });
  const data = m.dataset(tokens.slice(0, N * 4), labels.slice(0, N));
  train(m, data, { optimizer: "adamw", learningRate: 1e-3, steps: 3 });
  const r = train(m, data, { optimizer: "adamw", learningRate: 1e-3, steps: 10 });
  console.log(p, d, L, (r.trainMs / r.steps).toFixed(1), "ms/step");
  data.dispose(); m.dispose();
}
