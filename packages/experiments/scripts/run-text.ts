// E1 on real text: the State of the Union sample (party of a passage) through pretrained word
// vectors, written to docs/results/<name>/:
//   pnpm --filter @convexformer/experiments run text [--embeddings wink | --glove path/to/glove.txt]
//     [--data data/sotu-party-sample.jsonl] [--tokens 24] [--steps 300] [--frozen-block] [--out text-sotu-wink]
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { runText } from "@convexformer/experiments";
import { saveExperiment } from "@convexformer/experiments/node";
import { splitWords } from "@convexformer/io";
import {
  loadGloveEmbeddings,
  loadTextRecords,
  loadWinkEmbeddings,
  softwareVersions,
} from "@convexformer/io/node";
import { num, parseArgs, progress, REPO_ROOT, runScript } from "./script-args.js";

runScript(async (signal) => {
  const argv = process.argv.slice(2);
  const args = parseArgs(
    argv,
    ["embeddings", "glove", "data", "tokens", "steps", "seed", "out"],
    ["frozen-block"],
  );
  const here = fileURLToPath(new URL(".", import.meta.url));
  const dataPath = resolve(
    args.values.get("data") ?? join(here, "..", "data", "sotu-party-sample.jsonl"),
  );
  const records = await loadTextRecords(dataPath);
  const vocabulary = new Set(records.flatMap((r) => splitWords(r.text)));
  const glove = args.values.get("glove");
  const embeddings =
    glove !== undefined
      ? (await loadGloveEmbeddings(glove, { vocabulary, signal })).embeddings
      : await loadWinkEmbeddings({ vocabulary });
  const tokens = num(args, "tokens");
  const steps = num(args, "steps");
  const seed = num(args, "seed");
  const result = await runText(
    records,
    embeddings,
    {
      ...(tokens === undefined ? {} : { tokens }),
      ...(steps === undefined ? {} : { steps }),
      ...(seed === undefined ? {} : { seed }),
      ...(args.flags.has("frozen-block") ? { frozenBlock: true } : {}),
    },
    { signal, software: softwareVersions(import.meta.url), onProgress: progress },
  );
  const out = join(
    REPO_ROOT,
    "docs",
    "results",
    args.values.get("out") ?? `text-sotu-${glove === undefined ? "wink" : "glove"}`,
  );
  await saveExperiment(out, result, {
    command: `pnpm --filter @convexformer/experiments run text ${argv.join(" ")}`.trim(),
  });
  const m = result.metrics;
  const acc = (e: number) => `${(100 * (1 - e)).toFixed(1)}%`;
  console.log(
    `text (${m.embeddings}, ${m.sizes.train}/${m.sizes.test} passages, n=${m.sizes.tokens}, d=${m.sizes.features}):`,
  );
  console.log(
    `  convex   test accuracy ${acc(m.convex.testError)} (train ${acc(m.convex.trainError)}), gap ${m.convex.relativeGap.toExponential(2)}, heads ${m.convex.headsNeeded}`,
  );
  console.log(
    `  simplex  test accuracy ${acc(m.simplex.testError)} (train ${acc(m.simplex.trainError)})`,
  );
  console.log(
    `  standard test accuracy ${acc(m.standard.testError)} (train ${acc(m.standard.trainError)})`,
  );
  console.log(
    `  words toward label 1 (Republican): ${m.topWordsUp
      .slice(0, 10)
      .map((w) => w.word)
      .join(", ")}`,
  );
  console.log(
    `  words toward label 0 (Democrat):   ${m.topWordsDown
      .slice(0, 10)
      .map((w) => w.word)
      .join(", ")}`,
  );
  console.log(`written to ${out}`);
});
