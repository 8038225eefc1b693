import type { FittedModel } from "@convexformer/attention";
import { writeNpy } from "@convexformer/tensors";
import { writeResultFolder } from "./write-result-folder.js";

/**
 * The files a network folder may hold (written by {@link writeNetworkFolder}).
 *
 * @example
 * ```ts
 * import { NETWORK_FOLDER_FILES } from "@convexformer/io/node";
 * NETWORK_FOLDER_FILES.includes("network.json"); // true
 * ```
 */
export const NETWORK_FOLDER_FILES: readonly string[] = [
  "network.json",
  "w1.npy",
  "w2.npy",
  "alpha.npy",
  "gates-u1.npy",
  "gates-u2.npy",
  "W1.npy",
  "W2.npy",
];

/**
 * What `network.json` of a network folder records (and {@link writeNetworkFolder} returns):
 * the program, the sizes, the heads and heads needed, and each file's shape and meaning.
 *
 * @example
 * ```ts
 * import type { NetworkFolderRecord } from "@convexformer/io/node";
 * const files = (r: NetworkFolderRecord) => Object.keys(r.files);
 * ```
 */
export interface NetworkFolderRecord {
  /** The program of the fitted model. */
  readonly model: string;
  /** `h`: heads of the recovered network. */
  readonly heads: number;
  /** Heads whose output weights are not all zero. */
  readonly headsNeeded: number;
  /** `n`. */
  readonly tokens: number;
  /** `d`. */
  readonly features: number;
  /** `c`. */
  readonly outputs: number;
  /** Where the model came from (e.g. its model folder). */
  readonly source: string;
  /** File name → its shape and what it holds. */
  readonly files: Readonly<
    Record<
      string,
      {
        /** The array's shape. */
        readonly shape: number[];
        /** What it holds. */
        readonly meaning: string;
      }
    >
  >;
}

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
 * Writes the network of a fitted model as weights files, one float64 `.npy` per field, plus
 * `network.json` ({@link NetworkFolderRecord}), atomically as one folder (`writeResultFolder`).
 * Models (8)/(11)/(13): `w1.npy` (`h × n`, simplex rows), `w2.npy` (`h × d`), `alpha.npy`
 * (`h × c`), and for (13) `gates-u1.npy` (`h × n`), `gates-u2.npy` (`h × d`); model (30):
 * `W1.npy` (`h × n × n`), `W2.npy` (`h × d × c`), `alpha.npy` (`h`). The relaxation of (33)
 * has no network. Returns the record written.
 *
 * @param dir - the network folder (replaced as a whole)
 * @param m - a fitted model with a network (any program but `"sequence-relaxed"`)
 * @param source - recorded as `source` (e.g. the model folder it was read from)
 * @example
 * ```ts
 * import { mkdtempSync } from "node:fs";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { fitConvexAttention } from "@convexformer/attention";
 * import { writeNetworkFolder } from "@convexformer/io/node";
 * import { TokenBatch } from "@convexformer/tensors";
 * const X = new TokenBatch(2, 2, 1, new Float64Array([1, 0, 0, 1]));
 * const fit = fitConvexAttention(X, { model: "scalar", targets: new Float64Array([1, -1]), lambda: 1 / 8 });
 * const record = await writeNetworkFolder(join(mkdtempSync(join(tmpdir(), "net-")), "net"), fit, "fit");
 * record.headsNeeded; // 2
 * ```
 */
export async function writeNetworkFolder(
  dir: string,
  m: FittedModel<"scalar" | "vector" | "gated" | "sequence">,
  source: string,
): Promise<NetworkFolderRecord> {
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
    source,
    files: described,
  };
  files["network.json"] = `${JSON.stringify(record, null, 2)}\n`;
  files["network.json"] = `${JSON.stringify(record, null, 2)}\n`;
  await writeResultFolder(dir, files);
  return record;
}
