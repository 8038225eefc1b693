/**
 * A solver checkpoint in storable form: JSON-safe `fields` (numbers may be `±Infinity` or
 * `NaN`: the store encodes those) and named arrays, each a list of equal-length vectors (a
 * file store writes each as one `k × n` float64 array, bit-exact).
 *
 * @example
 * ```ts
 * import type { EncodedCheckpoint } from "@convexformer/solvers";
 * const encoded: EncodedCheckpoint = { fields: { steps: 3 }, arrays: { x: [new Float64Array(2)] } };
 * encoded.arrays.x?.length; // 1
 * ```
 */
export interface EncodedCheckpoint {
  /** Scalars, records and small integer lists (JSON-safe up to non-finite numbers). */
  readonly fields: Readonly<Record<string, unknown>>;
  /** Named lists of equal-length vectors. */
  readonly arrays: Readonly<Record<string, readonly Float64Array[]>>;
}

/**
 * How a resumable solver's checkpoint is stored: the solver owns it, a store (the CLI's result
 * folder) only writes {@link EncodedCheckpoint.fields} and the arrays. A solver with a codec
 * accepts the options `checkpoint` (`{ write(checkpoint), everyIterations?, everyMs? }`) and
 * `resumeFrom` (a decoded checkpoint).
 *
 * @typeParam Checkpoint - the solver's checkpoint type
 * @example
 * ```ts
 * import { fista, type FistaCheckpoint } from "@convexformer/solvers";
 * import { randomGroupLasso } from "@convexformer/solvers/testing";
 * const { problem } = randomGroupLasso({ samples: 20, features: 12, groupSize: 3 });
 * const codec = fista.checkpoints;
 * const saved: FistaCheckpoint[] = [];
 * fista.solve(problem, { maxIterations: 5, checkpoint: { write: (c) => saved.push(c) } });
 * const encoded = codec?.encode(saved.at(-1));
 * Object.keys(encoded?.arrays ?? {}); // ["x", "ax"]
 * const decoded = codec?.decode(encoded as NonNullable<typeof encoded>) as FistaCheckpoint;
 * decoded.steps === saved.at(-1)?.steps; // true
 * codec?.decode({ fields: {}, arrays: {} }); // throws InvalidOptionError
 * ```
 */
export interface CheckpointCodec<Checkpoint = unknown> {
  /** The array names of {@link EncodedCheckpoint.arrays} and how many vectors each holds. */
  readonly arrays: Readonly<Record<string, number>>;
  /**
   * The storable form of `checkpoint` (the arrays are copies).
   *
   * @param checkpoint - a checkpoint the solver handed to `checkpoint.write`
   */
  encode(checkpoint: Checkpoint): EncodedCheckpoint;
  /**
   * The checkpoint back from its storable form, for `resumeFrom` (the solve validates it
   * against the problem again).
   *
   * @param encoded - fields and arrays as {@link CheckpointCodec.encode} produced them
   * @throws InvalidOptionError naming the missing or malformed field (`checkpoint.<field>`)
   */
  decode(encoded: EncodedCheckpoint): Checkpoint;
}
