/**
 * Decoder training-step benchmark: ms per AdamW step of the E2 decoder (tfjs, wasm backend)
 * side by side with the same model in PyTorch on the CPU of this machine
 * (bench/decoder_torch.py, Debian's python3-torch). Prints one JSON document.
 *
 * Run: node --import tsx packages/baselines/bench/decoder.bench.ts
 * Env: BENCH_STEPS (timed steps per round, default 10), BENCH_ROUNDS (default 2),
 *      BENCH_PYTHON (default /usr/bin/python3), BENCH_TORCH_THREADS (torch's intra-op
 *      threads; default torch's own choice, 1 on the 2-core bench machines).
 *
 * Threads: tfjs runs single-threaded (the wasm backend's multi-threaded binary is disabled in
 * Node by tfjs itself, and in 4.22 its matrix product does not use the thread pool), so the
 * like-for-like comparison is torch at 1 thread, its default here. Torch at 2 threads on the
 * shared 2-core machine was 3x slower than at 1 (OpenMP threads competing with other load).
 */
import { spawnSync } from "node:child_process";
import { cpus, loadavg } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createRng } from "@convexformer/tensors";
import { DecoderTransformer, setupTfjs, train } from "../src/index.js";

interface Config {
  p: number;
  width: number;
  layers: number;
  heads: number;
  batch: number;
  attention: "softmax" | "simplex";
}

const CONFIGS: Config[] = [
  { p: 97, width: 128, layers: 2, heads: 4, batch: 512, attention: "softmax" },
  { p: 47, width: 64, layers: 1, heads: 4, batch: 512, attention: "softmax" },
];
const WARMUP = 3;
const STEPS = Number(process.env.BENCH_STEPS ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const PYTHON = process.env.BENCH_PYTHON ?? "/usr/bin/python3";

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

async function tfjsSteps(cfg: Config): Promise<number[]> {
  const rng = createRng(0);
  const tokens = new Int32Array(cfg.batch * 4);
  const labels = new Int32Array(cfg.batch);
  for (let i = 0; i < cfg.batch; i++) {
    const x = rng.integer(0, cfg.p);
    const y = rng.integer(1, cfg.p);
    tokens.set([x, cfg.p, y, cfg.p + 1], i * 4);
    labels[i] = (x + y) % cfg.p;
  }
  const model = new DecoderTransformer({
    vocabSize: cfg.p + 2,
    sequenceLength: 4,
    width: cfg.width,
    heads: cfg.heads,
    layers: cfg.layers,
    attention: cfg.attention,
  });
  const data = model.dataset(tokens, labels);
  const result = await train(model, data, {
    optimizer: "adamw",
    learningRate: 1e-3,
    betas: [0.9, 0.98],
    weightDecay: 1,
    warmupSteps: 10,
    steps: WARMUP + STEPS,
  });
  data.dispose();
  model.dispose();
  const wall = result.stepWallMs;
  const times: number[] = [];
  for (let s = WARMUP; s < wall.length; s++)
    times.push((wall[s] as number) - (wall[s - 1] as number));
  return times;
}

function torchSteps():
  | { ok: true; out: { torch: string; threads: number; results: { msPerStep: number }[] } }
  | { ok: false; reason: string } {
  const script = join(dirname(fileURLToPath(import.meta.url)), "decoder_torch.py");
  const configs = CONFIGS.map((c) => ({ ...c, warmup: WARMUP, steps: STEPS }));
  const run = spawnSync(PYTHON, [script, JSON.stringify(configs)], {
    encoding: "utf8",
    timeout: 600_000,
  });
  if (run.error !== undefined || run.status !== 0) {
    return {
      ok: false,
      reason: `${PYTHON} ${script} failed: ${run.error?.message ?? run.stderr.trim().split("\n").at(-1)}`,
    };
  }
  return { ok: true, out: JSON.parse(run.stdout) };
}

const { backend } = await setupTfjs();
const load0 = loadavg()[0];
const tfjsTimes: number[][] = CONFIGS.map(() => []);
const torchTimes: number[][] = CONFIGS.map(() => []);
let torchInfo: { version: string; threads: number } | undefined;
let torchFailure: string | undefined;
for (let round = 0; round < ROUNDS; round++) {
  for (const [k, cfg] of CONFIGS.entries()) tfjsTimes[k]?.push(median(await tfjsSteps(cfg)));
  if (torchFailure === undefined) {
    const t = torchSteps();
    if (t.ok) {
      torchInfo = { version: t.out.torch, threads: t.out.threads };
      t.out.results.forEach((r, k) => {
        torchTimes[k]?.push(r.msPerStep);
      });
    } else torchFailure = t.reason;
  }
}
const results = CONFIGS.map((cfg, k) => {
  const tfjs = Math.min(...(tfjsTimes[k] as number[]));
  const torch = torchFailure === undefined ? Math.min(...(torchTimes[k] as number[])) : null;
  return {
    ...cfg,
    tokensPerSequence: 4,
    tfjsMsPerStep: Number(tfjs.toFixed(1)),
    torchMsPerStep: torch === null ? null : Number(torch.toFixed(1)),
    ratioTfjsOverTorch: torch === null ? null : Number((tfjs / torch).toFixed(2)),
    withinTarget2x: torch === null ? null : tfjs <= 2 * torch,
    tfjsRoundsMs: (tfjsTimes[k] as number[]).map((v) => Number(v.toFixed(1))),
    torchRoundsMs: (torchTimes[k] as number[]).map((v) => Number(v.toFixed(1))),
  };
});
console.log(
  JSON.stringify(
    {
      benchmark: "decoder training step (AdamW, cross-entropy, float32)",
      method: `per round: median of ${STEPS} steps after ${WARMUP} warm-up steps; tfjs and torch alternate for ${ROUNDS} rounds; the best round is reported`,
      tfjs: { version: "4.22.0", backend, threads: 1 },
      torch: torchInfo ?? null,
      torchUnavailable: torchFailure ?? null,
      machine: {
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model,
        node: process.version,
        loadAverageStart: load0,
        loadAverageEnd: loadavg()[0],
      },
      results,
    },
    null,
    2,
  ),
);
