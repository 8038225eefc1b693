import { UsageError } from "@convexformer/io";
import { readModelFolder, validateOutputDirectory, writeResultFolder } from "@convexformer/io/node";
import { writeNpy } from "@convexformer/tensors";
import type { Command } from "commander";
import type { CliIo } from "../cli-io.js";
import { commandErrorExitCode } from "../command-error.js";

/** Files a network folder may hold. */
const NETWORK_FILES = [
  "network.json",
  "w1.npy",
  "w2.npy",
  "alpha.npy",
  "gates-u1.npy",
  "gates-u2.npy",
  "W1.npy",
  "W2.npy",
];

function npy(shape: number[], data: Float64Array): Uint8Array {
  return writeNpy({ dtype: "float64", shape, data });
}

/** Heads whose output weights are not all zero. */
function usedHeads(alpha: Float64Array, heads: number): number {
  const per = alpha.length / heads;
  let used = 0;
  for (let j = 0; j < heads; j++) {
    let nonzero = false;
    for (let l = 0; l < per; l++) if (alpha[j * per + l] !== 0) nonzero = true;
    if (nonzero) used++;
  }
  return used;
}

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
    const out = await validateOutputDirectory("--out", options.out, NETWORK_FILES);
    const files: Record<string, string | Uint8Array> = {};
    const w = m.network;
    const { heads: h, tokens: n, features: d, outputs: c } = w;
    let described: Record<string, { shape: number[]; meaning: string }>;
    let headsNeeded: number;
    if (m.model === "sequence") {
      const s = m.network;
      described = {
        "W1.npy": { shape: [h, n, n], meaning: "W_{1j}: row-stochastic token mixing of head j" },
        "W2.npy": { shape: [h, d, c], meaning: "W_{2j}: value/output map of head j" },
        "alpha.npy": { shape: [h], meaning: "α_j: scale of head j" },
      };
      files["W1.npy"] = npy([h, n, n], s.W1);
      files["W2.npy"] = npy([h, d, c], s.W2);
      files["alpha.npy"] = npy([h], s.alpha);
      headsNeeded = usedHeads(s.alpha, h);
    } else {
      const a = m.network;
      described = {
        "w1.npy": { shape: [h, n], meaning: "w_{1j} ∈ Δ_n: token attention of head j" },
        "w2.npy": { shape: [h, d], meaning: "w_{2j}: value vector of head j" },
        "alpha.npy": { shape: [h, c], meaning: "α_j: output weights of head j" },
      };
      files["w1.npy"] = npy([h, n], a.w1);
      files["w2.npy"] = npy([h, d], a.w2);
      files["alpha.npy"] = npy([h, c], a.alpha);
      if (a.gates !== undefined) {
        described["gates-u1.npy"] = { shape: [h, n], meaning: "u_{1j}: token gate of head j" };
        described["gates-u2.npy"] = { shape: [h, d], meaning: "u_{2j}: feature gate of head j" };
        files["gates-u1.npy"] = npy([h, n], a.gates.u1);
        files["gates-u2.npy"] = npy([h, d], a.gates.u2);
      }
      headsNeeded = usedHeads(a.alpha, h);
    }
    const record = {
      model: m.model,
      heads: h,
      headsNeeded,
      tokens: n,
      features: d,
      outputs: c,
      source: saved.dir,
      files: described,
    };
    files["network.json"] = `${JSON.stringify(record, null, 2)}\n`;
    await writeResultFolder(out, files);
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
 * import { processIo, registerRecoverCommand } from "convexformer";
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
