import { join } from "node:path";
import type { ConvexSolution } from "@convexformer/interpret";
import { validateSolution } from "@convexformer/interpret";
import { readInputText } from "./input-files.js";
import { UsageError } from "./usage-error.js";

function numbers(file: string, field: string, value: unknown): Float64Array {
  if (!Array.isArray(value))
    throw new UsageError(`${file}: "${field}" must be an array of numbers`);
  const out = new Float64Array(value.length);
  value.forEach((v, i) => {
    if (typeof v !== "number" || !Number.isFinite(v))
      throw new UsageError(
        `${file}: ${field}[${i}] must be a finite number; got ${JSON.stringify(v)}`,
      );
    out[i] = v;
  });
  return out;
}

/**
 * Reads `solution.json` of a model folder written by `convexformer fit`: the convex solution
 * with its layout and number of training samples, as `@convexformer/interpret` takes it.
 * The file is size-checked (256 MiB at most) and every field validated (the lengths by
 * `validateSolution`); errors name the file and the field.
 *
 * @param dir - the model folder
 * @example
 * ```ts
 * import { readSavedSolution } from "convexformer";
 * await readSavedSolution("/nonexistent").catch(() => "missing"); // "missing"
 * ```
 */
export async function readSavedSolution(dir: string): Promise<ConvexSolution> {
  const file = join(dir, "solution.json");
  let root: Record<string, unknown>;
  try {
    root = JSON.parse(await readInputText(file, 256 * 2 ** 20)) as Record<string, unknown>;
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`${file}: not JSON (${(e as Error).message})`);
  }
  if (typeof root !== "object" || root === null)
    throw new UsageError(`${file}: expected a JSON object`);
  const layout = root.layout;
  if (typeof layout !== "object" || layout === null)
    throw new UsageError(`${file}: "layout" must be an object`);
  const samples = root.samples;
  if (typeof samples !== "number") throw new UsageError(`${file}: "samples" must be a number`);
  const x = numbers(file, "x", root.x);
  if (root.kind === "sequence") {
    if (root.program !== "sequence" && root.program !== "sequence-relaxed")
      throw new UsageError(
        `${file}: "program" must be sequence or sequence-relaxed; got ${JSON.stringify(root.program)}`,
      );
    return validateSolution({
      kind: "sequence",
      program: root.program,
      x,
      samples,
      layout: layout as never,
    });
  }
  if (root.kind !== "token")
    throw new UsageError(
      `${file}: "kind" must be token or sequence; got ${JSON.stringify(root.kind)}`,
    );
  if (root.program !== "scalar" && root.program !== "vector" && root.program !== "gated")
    throw new UsageError(
      `${file}: "program" must be scalar, vector or gated; got ${JSON.stringify(root.program)}`,
    );
  const g = root.gates as { u1?: unknown; u2?: unknown } | undefined;
  const gates =
    g === undefined
      ? undefined
      : { u1: numbers(file, "gates.u1", g.u1), u2: numbers(file, "gates.u2", g.u2) };
  return validateSolution({
    kind: "token",
    program: root.program,
    x,
    samples,
    layout: layout as never,
    gates,
  });
}
