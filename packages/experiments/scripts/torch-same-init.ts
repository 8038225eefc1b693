/**
 * Same initialization, same batches, two implementations (issue 22, item 1): E2's decoder trained
 * by our loop (tfjs, float32) and by PyTorch (`torch-same-init.py`, CPU, float32) from the SAME
 * initial weights over the SAME batch order, compared step by step.
 *
 *     pnpm check:torch [-- --prime 97 --layers 2 --width 128 --heads 4 --steps 500
 *         --attention softmax,simplex --evaluate-every 50 --seed 0 --weight-decay 1
 *         --python python3 --out report.json]
 *
 * For each attention kind: build E2's model and split exactly as `experiment e2` does (same seed),
 * export the initial weights and the split as `.npy`, replay the training loop's batch order (one
 * seeded permutation per epoch, tail skipped) into `batches.npy`, train with experiments'
 * `resumableTrain` (the loop that produces the recorded E2 numbers), then run the same steps in
 * PyTorch and compare the mini-batch loss of every step and the evaluations. The batch order
 * written for PyTorch is checked against the loop itself: a second run of ours on those batches
 * through `lossAndGradients` + `Optimizer.apply` must give bitwise the same step losses.
 *
 * PyTorch is imported from wherever Python finds it (Debian's `python3-torch`); where absent the
 * comparison is skipped with the printed reason (exit 0). One JSON document on stdout; progress
 * on stderr; exit 1 when a comparison fails its tolerance.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  type AttentionKind,
  DecoderTransformer,
  Optimizer,
  type OptimizerOptions,
  setupTfjs,
} from "@convexformer/baselines";
import { createRng, writeNpy } from "@convexformer/tensors";
import * as tf from "@tensorflow/tfjs";
import { modularArithmetic, resumableTrain } from "../src/index.js";

const flag = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
};
const prime = Number(flag("prime", "97"));
const layers = Number(flag("layers", "2"));
const width = Number(flag("width", "128"));
const heads = Number(flag("heads", "4"));
const steps = Number(flag("steps", "500"));
const evaluateEvery = Number(flag("evaluate-every", "50"));
const seed = Number(flag("seed", "0"));
const weightDecay = Number(flag("weight-decay", "1"));
const python = flag("python", "python3");
const out = flag("out", "");
const kinds = flag("attention", "softmax,simplex").split(",") as AttentionKind[];
const script = fileURLToPath(new URL("./torch-same-init.py", import.meta.url));

/**
 * "Agreement to float32 noise": the step losses of the first `firstSteps` steps agree to
 * `firstStepsRelative`, and every evaluated accuracy to `accuracy` or to twice what float32
 * rounding alone moves it (PyTorch float32 against float64 on the same weights and batches).
 */
const TOLERANCE = { firstStepsRelative: 1e-4, firstSteps: 20, accuracy: 0.02 };

const npy = (data: Float32Array | Int32Array, shape: number[]) =>
  data instanceof Int32Array
    ? writeNpy({ dtype: "int32", shape, data })
    : writeNpy({ dtype: "float32", shape, data });

interface TorchEvaluation {
  readonly step: number;
  readonly loss: number;
  readonly accuracy: number | undefined;
  readonly validationLoss?: number | undefined;
  readonly validationAccuracy: number | undefined;
}
type TorchRun =
  | { available: false; reason?: string }
  | {
      available: true;
      reason?: undefined;
      stepLosses: number[];
      evaluations: TorchEvaluation[];
      version: string;
      msPerStep: number;
    };

/** The PyTorch side on the folder, in a fresh process. */
function runTorch(dir: string, dtype: "float32" | "float64"): TorchRun {
  const py = spawnSync(python, [script, dir, dtype], { encoding: "utf8", maxBuffer: 1 << 26 });
  const line = (py.stdout ?? "").trim().split("\n").pop() ?? "";
  try {
    return JSON.parse(line) as TorchRun;
  } catch {
    return { available: false, reason: `exit ${py.status}: ${(py.stderr ?? "").slice(-800)}` };
  }
}

/** Largest relative difference of two loss curves over their first `k` steps. */
function maxRelativeDiff(a: readonly number[], b: readonly number[], k: number): number {
  let m = 0;
  for (let t = 0; t < Math.min(k, a.length, b.length); t++) {
    const x = a[t] as number;
    const y = b[t] as number;
    m = Math.max(m, Math.abs(x - y) / Math.max(Math.abs(y), 1e-12));
  }
  return m;
}

/** Largest difference of train or validation accuracy at the evaluations both runs made. */
function maxAccuracyDifference(
  a: readonly TorchEvaluation[],
  b: readonly TorchEvaluation[],
): number {
  let m = 0;
  for (const e of a) {
    const o = b.find((r) => r.step === e.step);
    if (o === undefined) continue;
    m = Math.max(
      m,
      Math.abs((e.accuracy ?? 0) - (o.accuracy ?? 0)),
      Math.abs((e.validationAccuracy ?? 0) - (o.validationAccuracy ?? 0)),
    );
  }
  return m;
}

await setupTfjs();
const report = [];
let failed = false;
let skipped: string | null = null;
for (const attention of kinds) {
  const data = modularArithmetic({ prime, operator: "/", trainFraction: 0.5, seed });
  const batchSize = Math.min(512, Math.ceil(data.train.size / 2));
  const dir = mkdtempSync(join(tmpdir(), "torch-same-init-"));
  const options = {
    vocabSize: data.vocabSize,
    sequenceLength: data.sequenceLength,
    width,
    heads,
    layers,
    attention,
    seed,
  };
  const optimizer: OptimizerOptions = {
    optimizer: "adamw",
    learningRate: 1e-3,
    betas: [0.9, 0.98],
    weightDecay,
    warmupSteps: 10,
  };
  try {
    // 1. the initial weights, the split and the loop's batch order, as .npy
    const model = new DecoderTransformer(options);
    const names: string[] = [];
    for (const [name, w] of Object.entries(model.exportWeights())) {
      writeFileSync(join(dir, `${name}.npy`), npy(Float32Array.from(w.data), [...w.shape]));
      names.push(name);
    }
    const n = data.sequenceLength;
    writeFileSync(join(dir, "train-tokens.npy"), npy(data.train.tokens, [data.train.size, n]));
    writeFileSync(join(dir, "train-labels.npy"), npy(data.train.labels, [data.train.size]));
    const vn = data.validation.size;
    writeFileSync(join(dir, "validation-tokens.npy"), npy(data.validation.tokens, [vn, n]));
    writeFileSync(join(dir, "validation-labels.npy"), npy(data.validation.labels, [vn]));
    const rng = createRng(seed);
    const perEpoch = Math.floor(data.train.size / batchSize);
    const batches = new Int32Array(steps * batchSize);
    let order = new Int32Array(0);
    for (let t = 0; t < steps; t++) {
      const within = t % perEpoch;
      if (within === 0) order = Int32Array.from(rng.permutation(data.train.size));
      batches.set(order.subarray(within * batchSize, (within + 1) * batchSize), t * batchSize);
    }
    writeFileSync(join(dir, "batches.npy"), npy(batches, [steps, batchSize]));
    const config = { ...options, ...optimizer, steps, evaluateEvery, weights: names };
    writeFileSync(join(dir, "config.json"), JSON.stringify(config));

    // 2. ours: the loop that produces the recorded numbers
    const train = model.dataset(data.train.tokens, data.train.labels);
    const validation = model.dataset(data.validation.tokens, data.validation.labels);
    const t0 = performance.now();
    const run = await resumableTrain(model, train, {
      ...optimizer,
      steps,
      batchSize,
      seed,
      evaluateEvery,
      validation,
    });
    const oursMs = performance.now() - t0;
    model.dispose();

    // 3. the batch order above is the loop's: replay it on a fresh model, bitwise
    const replay = new DecoderTransformer(options);
    const opt = new Optimizer(replay.trainableVariables, optimizer);
    const replayLosses = new Float64Array(steps);
    for (let t = 0; t < steps; t++) {
      const value = tf.tidy(() => {
        const batch = train.batch(batches.subarray(t * batchSize, (t + 1) * batchSize));
        const { value, grads } = replay.lossAndGradients(batch, data.train.size);
        opt.apply(grads);
        return value;
      });
      replayLosses[t] = value.dataSync()[0] as number;
      value.dispose();
      replay.afterStep();
    }
    replay.dispose();
    let replayEqual = true;
    for (let t = 0; t < steps; t++) if (replayLosses[t] !== run.stepLosses[t]) replayEqual = false;
    train.dispose();
    validation.dispose();

    // 4. PyTorch on the same weights and batches: float32, and float64 as the noise control
    console.error(
      `[check:torch] ${attention}: ours done (${(oursMs / 1000).toFixed(1)} s), PyTorch…`,
    );
    const torch = runTorch(dir, "float32");
    const control = torch.available ? runTorch(dir, "float64") : torch;
    if (!torch.available || !control.available) {
      skipped = torch.reason ?? control.reason ?? "PyTorch did not answer";
      report.push({ attention, replayEqual, skipped });
      if (!replayEqual) failed = true;
      continue;
    }
    // 5. compare: ours against PyTorch float32; PyTorch float32 against float64 (the control)
    const ours = { stepLosses: Array.from(run.stepLosses), evaluations: run.evaluations };
    const maxRel = (k: number) => maxRelativeDiff(ours.stepLosses, torch.stepLosses, k);
    const maxAccuracyDiff = maxAccuracyDifference(ours.evaluations, torch.evaluations);
    const evaluations = run.evaluations.map((e) => ({
      step: e.step,
      ours: { loss: e.loss, accuracy: e.accuracy, validationAccuracy: e.validationAccuracy },
      torch: torch.evaluations.find((r) => r.step === e.step) ?? null,
      torchFloat64: control.evaluations.find((r) => r.step === e.step) ?? null,
    }));
    const firstRel = maxRel(TOLERANCE.firstSteps);
    const controlAccuracyDiff = maxAccuracyDifference(torch.evaluations, control.evaluations);
    const pass =
      replayEqual &&
      firstRel <= TOLERANCE.firstStepsRelative &&
      maxAccuracyDiff <= Math.max(TOLERANCE.accuracy, 2 * controlAccuracyDiff);
    if (!pass) failed = true;
    report.push({
      attention,
      pass,
      replayEqual,
      maxRelativeLossDiff: {
        [`first${TOLERANCE.firstSteps}`]: firstRel,
        first100: maxRel(100),
        [`first${steps}`]: maxRel(steps),
      },
      maxAccuracyDiff,
      float64Control: {
        maxRelativeLossDiff: {
          [`first${TOLERANCE.firstSteps}`]: maxRelativeDiff(
            torch.stepLosses,
            control.stepLosses,
            TOLERANCE.firstSteps,
          ),
          first100: maxRelativeDiff(torch.stepLosses, control.stepLosses, 100),
          [`first${steps}`]: maxRelativeDiff(torch.stepLosses, control.stepLosses, steps),
        },
        maxAccuracyDiff: controlAccuracyDiff,
      },
      msPerStep: { ours: run.trainMs / steps, torch: torch.msPerStep ?? null },
      torch: torch.version,
      stepLosses: {
        ours: ours.stepLosses,
        torch: torch.stepLosses,
        torchFloat64: control.stepLosses,
      },
      evaluations,
    });
    console.error(
      `[check:torch] ${attention}: ${pass ? "agree" : "DIFFER"} (first ${TOLERANCE.firstSteps} steps ${firstRel.toExponential(2)}, 100 steps ${maxRel(100).toExponential(2)}, accuracy ${maxAccuracyDiff.toFixed(3)})`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
const document = JSON.stringify(
  {
    check: "torch-same-init",
    config: { prime, layers, width, heads, steps, evaluateEvery, seed, weightDecay },
    tolerance: TOLERANCE,
    torch: skipped === null ? "run in the same script" : `skipped: ${skipped}`,
    results: report,
  },
  null,
  2,
);
if (out !== "") writeFileSync(out, `${document}\n`);
console.log(document);
process.exitCode = failed ? 1 : 0;
