import { UsageError } from "@convexformer/io";
import {
  NETWORK_FOLDER_FILES,
  readModelFolder,
  validateOutputDirectory,
  writeNetworkFolder,
} from "@convexformer/io/node";
import type { Command } from "commander";
import type { CliIo } from "../cli-io.js";
import { commandErrorExitCode } from "../command-error.js";

/**
 * Runs `convexformer recover <model>`: writes the network recovered from a model folder of
 * `convexformer fit` as weights files, one float64 `.npy` per field, plus `network.json`
 * (program, sizes, heads, heads needed, and each file's shape and meaning), atomically as
 * one folder. Models (8)/(11)/(13): `w1.npy` (`h × n`, simplex rows), `w2.npy` (`h × d`),
 * `alpha.npy` (`h × c`), and for (13) `gates-u1.npy` (`h × n`), `gates-u2.npy` (`h × d`);
 * model (30): `W1.npy` (`h × n × n`), `W2.npy` (`h × d × c`), `alpha.npy` (`h`). The
 * relaxation of (33) has no network (exit 2). Returns 0 done, 2 bad usage or data.
 *
 * @param modelDir - the model folder
 * @param options - the network folder, `--json`
 * @param io - where to write
 * @example
 * ```ts
 * import { processIo, runRecover } from "convexformer";
 * const code = await runRecover("/nonexistent", { out: "/tmp/net" }, processIo());
 * code; // 2
 * ```
 */
export async function runRecover(
  modelDir: string,
  options: { readonly out: string; readonly json?: boolean },
  io: CliIo,
): Promise<number> {
  const name = "convexformer recover";
  try {
    const saved = await readModelFolder(modelDir, "<model>");
    const m = saved.model;
    if (m.model === "sequence-relaxed")
      throw new UsageError(
        `<model> ${modelDir}: a sequence-relaxed fit has no network (its solutions are not models (30)); fit --model sequence for one`,
      );
    const out = await validateOutputDirectory("--out", options.out, NETWORK_FOLDER_FILES);
    const record = await writeNetworkFolder(out, m, saved.dir);
    const { heads: h, headsNeeded, tokens: n, features: d, outputs: c, files: described } = record;
    if (options.json === true) io.stdout(`${JSON.stringify({ ...record, out })}\n`);
    else
      io.stdout(
        `${m.model} network: ${h} heads (${headsNeeded} with nonzero output weights), n = ${n}, d = ${d}, c = ${c}\n${Object.entries(
          described,
        )
          .map(([f, v]) => `  ${f} [${v.shape.join(" × ")}]: ${v.meaning}`)
          .join("\n")}\nwrote ${out}\n`,
      );
    return 0;
  } catch (error) {
    return commandErrorExitCode(name, error, io);
  }
}

/**
 * Registers `convexformer recover <model>` on the program.
 *
 * @param program - the command tree
 * @param io - where to write
 * @example
 * ```ts
 * import { Command } from "commander";
 * import { processIo } from "convexformer";
 * import { registerRecoverCommand } from "./recover.js"; // internal module
 * registerRecoverCommand(new Command("convexformer"), processIo());
 * ```
 */
export function registerRecoverCommand(program: Command, io: CliIo): void {
  program
    .command("recover")
    .description(
      "write the network recovered from a fitted model folder as weights files (.npy per field + network.json)",
    )
    .argument("<model>", "the model folder written by convexformer fit")
    .option(
      "--out <dir>",
      "network folder (replaced as a whole, atomically)",
      "convexformer-out/network",
    )
    .option("--json", "print one JSON line instead of the summary")
    .addHelpText("after", "\nExit codes: 0 done, 2 bad usage or data.")
    .action(async (model: string, o: Record<string, unknown>) => {
      process.exitCode = await runRecover(model, { out: String(o.out), json: o.json === true }, io);
    });
}
