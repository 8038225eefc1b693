import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import {
  CorruptFileError,
  npyToMatrix,
  ShapeMismatchError,
  UnsupportedFormatError,
} from "@convexformer/tensors";
import { readNpyFile } from "@convexformer/tensors/node";
import { checkSolution, type TokenProgramSolution } from "./convex-solution.js";

/** `result.json` larger than this is refused before it is read (it holds a summary only). */
const MAX_RESULT_BYTES = 16 * 2 ** 20;

/**
 * Reads a result folder written by `convexformer demo` (`result.json` and `z.npy`, the solution
 * `Z` of program (9) as an `n × d` array) as a {@link TokenProgramSolution}; `samples` is the
 * number of training samples recorded in `result.json` (`shape.train`). Node only.
 *
 * @param directory - the folder (e.g. `runs/demo`)
 * @throws `CorruptFileError` for unreadable or inconsistent files (naming the file and field),
 *   `UnsupportedFormatError` for a program other than (9), `ShapeMismatchError` when `z.npy`
 *   does not have the recorded `tokens × features` shape
 *
 * @example
 * ```ts
 * import { mkdtemp, writeFile } from "node:fs/promises";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { tokenMap } from "@convexformer/interpret";
 * import { readSolutionFolder } from "@convexformer/interpret/node";
 * import { Matrix } from "@convexformer/tensors";
 * import { writeNpyFile } from "@convexformer/tensors/node";
 * const dir = await mkdtemp(join(tmpdir(), "run-"));
 * await writeFile(join(dir, "result.json"), JSON.stringify({ program: "(9) scalar convex attention",
 *   shape: { samples: 2, tokens: 2, features: 1, train: 2 } }));
 * await writeNpyFile(join(dir, "z.npy"), Matrix.fromRows([[0.875], [-0.875]]));
 * tokenMap(await readSolutionFolder(dir)).support.headsNeeded; // 2
 * ```
 */
export async function readSolutionFolder(directory: string): Promise<TokenProgramSolution> {
  const resultPath = join(directory, "result.json");
  let size: number;
  try {
    size = (await stat(resultPath)).size;
  } catch (error) {
    throw new CorruptFileError(resultPath, `cannot read: ${(error as Error).message}`);
  }
  if (size > MAX_RESULT_BYTES) {
    throw new CorruptFileError(
      resultPath,
      `is ${size} bytes; a result summary is at most ${MAX_RESULT_BYTES}`,
    );
  }
  let result: unknown;
  try {
    result = JSON.parse(await readFile(resultPath, "utf8"));
  } catch (error) {
    throw new CorruptFileError(resultPath, `is not JSON: ${(error as Error).message}`);
  }
  const top = (typeof result === "object" && result !== null ? result : {}) as Record<
    string,
    unknown
  >;
  const program = top.program;
  if (typeof program !== "string" || !program.startsWith("(9)")) {
    throw new UnsupportedFormatError(
      `${resultPath}: program`,
      `expected program (9) as written by "convexformer demo", got ${JSON.stringify(program)}`,
    );
  }
  const shape = (typeof top.shape === "object" && top.shape !== null ? top.shape : {}) as Record<
    string,
    unknown
  >;
  const field = (name: string): number => {
    const v = shape[name];
    if (!(typeof v === "number" && Number.isSafeInteger(v) && v >= 1)) {
      throw new CorruptFileError(
        `${resultPath}: shape.${name}`,
        `must be an integer >= 1, got ${JSON.stringify(v)}`,
      );
    }
    return v;
  };
  const tokens = field("tokens");
  const features = field("features");
  const samples = shape.train === undefined ? field("samples") : field("train");
  const zPath = join(directory, "z.npy");
  const Z = npyToMatrix(await readNpyFile(zPath), zPath);
  if (Z.rows !== tokens || Z.cols !== features) {
    throw new ShapeMismatchError(
      zPath,
      `expected ${tokens} × ${features} (result.json shape), got ${Z.rows} × ${Z.cols}`,
    );
  }
  return checkSolution({
    kind: "token",
    program: "scalar",
    x: Z.data,
    layout: { gates: 1, outputs: 1, tokens, features },
    samples,
    gates: undefined,
  });
}
