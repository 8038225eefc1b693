import { InvalidOptionError } from "@convexformer/tensors";
import type { AttentionProgram } from "./attention-program.js";
import { gatedProgram } from "./gated-program.js";
import { relaxedSequenceProgram } from "./relaxed-sequence-program.js";
import { scalarProgram } from "./scalar-program.js";
import { sequenceProgram } from "./sequence-program.js";
import { vectorProgram } from "./vector-program.js";

/**
 * The program table's built-in entries: the paper's programs, in its order
 * ({@link ATTENTION_PROGRAM_KINDS} lists their names, {@link listPrograms} adds the registered ones).
 *
 * @example
 * ```ts
 * import { BUILT_IN_PROGRAMS } from "@convexformer/attention";
 * BUILT_IN_PROGRAMS.map((p) => p.kind).join(", "); // "scalar, vector, gated, sequence, sequence-relaxed"
 * ```
 */
export const BUILT_IN_PROGRAMS = [
  scalarProgram,
  vectorProgram,
  gatedProgram,
  sequenceProgram,
  relaxedSequenceProgram,
] as const;

const registry = new Map<string, AttentionProgram>(BUILT_IN_PROGRAMS.map((p) => [p.kind, p]));

/**
 * Adds a program to the table, the way tfjs registers kernels: from then on
 * {@link getProgram}, {@link fitConvexAttention}'s runtime checks, the saved-model codec and the
 * problem files (`attention-<kind>`) know it. docs/adding-a-program.md shows a whole entry.
 *
 * @param program - the entry ({@link AttentionProgram}); its `kind` must be new
 * @throws `InvalidOptionError` naming `program.kind` for an empty or already registered name
 *
 * @example
 * ```ts
 * import { getProgram, listPrograms, registerProgram, scalarProgram } from "@convexformer/attention";
 * registerProgram({ ...scalarProgram, kind: "scalar-copy", label: "a copy of (9)" });
 * getProgram("scalar-copy").equation; // "(9)"
 * listPrograms().length;              // 6
 * ```
 */
export function registerProgram(program: AttentionProgram): void {
  if (typeof program?.kind !== "string" || program.kind === "") {
    throw new InvalidOptionError("program.kind", program?.kind, "must be a non-empty string");
  }
  if (registry.has(program.kind)) {
    throw new InvalidOptionError("program.kind", program.kind, "is already registered");
  }
  registry.set(program.kind, Object.freeze({ ...program }));
}

/**
 * The table's entry for a program name.
 *
 * @param kind - a registered program name (`"scalar"`, `"vector"`, `"gated"`, `"sequence"`,
 *   `"sequence-relaxed"`, or one added with {@link registerProgram})
 * @param argument - the name the error gives the value (default `"kind"`, e.g. `"options.model"`)
 * @throws `InvalidOptionError` naming `argument` and listing the registered names
 *
 * @example
 * ```ts
 * import { getProgram } from "@convexformer/attention";
 * getProgram("vector").equation; // "(12)"
 * ```
 */
export function getProgram(kind: string, argument = "kind"): AttentionProgram {
  const program = registry.get(kind);
  if (program === undefined) {
    throw new InvalidOptionError(
      argument,
      kind,
      `must be one of ${[...registry.keys()].join(", ")}`,
    );
  }
  return program;
}

/**
 * The registered programs, the paper's first in its order, then the added ones in the order
 * they were registered.
 *
 * @example
 * ```ts
 * import { listPrograms } from "@convexformer/attention";
 * listPrograms().map((p) => p.equation).slice(0, 4); // ["(9)", "(12)", "(14)", "(33)"]
 * ```
 */
export function listPrograms(): readonly AttentionProgram[] {
  return [...registry.values()];
}
