import { CorruptFileError } from "@convexformer/tensors";

/**
 * A JSON value (what a checkpoint's `meta` may hold).
 *
 * @example
 * ```ts
 * import type { JsonValue } from "@convexformer/io";
 * const v: JsonValue = { step: 3, curve: [1, 0.5] };
 * ```
 */
export type JsonValue =
  | null
  | boolean
  | number
  | string
  | readonly JsonValue[]
  | { readonly [key: string]: JsonValue };

/**
 * A checkpoint: JSON metadata plus named float64 arrays (stored bit-exactly).
 *
 * @example
 * ```ts
 * import type { Checkpoint } from "@convexformer/io";
 * const c: Checkpoint = { meta: { step: 10 }, arrays: { w: new Float64Array([0.5]) } };
 * ```
 */
export interface Checkpoint {
  /** Metadata (configuration, counters, finished results). */
  readonly meta: JsonValue;
  /** Named arrays (weights, optimizer moments). */
  readonly arrays: Readonly<Record<string, Float64Array>>;
}

/**
 * Where a runner keeps its latest checkpoint. `save` must replace the previous one atomically
 * (the file store writes a temporary sibling and renames it).
 *
 * @example
 * ```ts
 * import { memoryCheckpointStore, type CheckpointStore } from "@convexformer/io";
 * const store: CheckpointStore = memoryCheckpointStore();
 * await store.save({ meta: 1, arrays: {} });
 * ```
 */
export interface CheckpointStore {
  /** The latest checkpoint, or `undefined` when there is none. */
  load(): Promise<Checkpoint | undefined>;
  /**
   * Replaces the latest checkpoint.
   *
   * @param checkpoint - the checkpoint to keep in place of the previous one: JSON metadata and
   *   named float64 arrays
   */
  save(checkpoint: Checkpoint): Promise<void>;
}

const MAGIC = "CFCKPT1\n";

/**
 * Encodes a checkpoint as bytes: the 8-byte magic `CFCKPT1\n`, a little-endian uint32 header
 * length, the JSON header `{meta, arrays: [[name, length], …]}`, zero padding to a multiple
 * of 8, then every array's float64 values (little-endian) in header order.
 *
 * @param checkpoint - the checkpoint: `meta` (any JSON value) and `arrays` (named `Float64Array`s,
 *   written in insertion order)
 *
 * @example
 * ```ts
 * import { decodeCheckpoint, encodeCheckpoint } from "@convexformer/io";
 * const bytes = encodeCheckpoint({ meta: { step: 2 }, arrays: { w: new Float64Array([1, 2]) } });
 * decodeCheckpoint(bytes).arrays.w; // Float64Array [1, 2]
 * ```
 */
export function encodeCheckpoint(checkpoint: Checkpoint): Uint8Array {
  const names = Object.keys(checkpoint.arrays);
  const header = new TextEncoder().encode(
    JSON.stringify({
      meta: checkpoint.meta,
      arrays: names.map((n) => [n, (checkpoint.arrays[n] as Float64Array).length]),
    }),
  );
  const start = Math.ceil((12 + header.length) / 8) * 8;
  let total = start;
  for (const n of names) total += 8 * (checkpoint.arrays[n] as Float64Array).length;
  const bytes = new Uint8Array(total);
  bytes.set(new TextEncoder().encode(MAGIC), 0);
  const view = new DataView(bytes.buffer);
  view.setUint32(8, header.length, true);
  bytes.set(header, 12);
  let offset = start;
  for (const n of names) {
    for (const v of checkpoint.arrays[n] as Float64Array) {
      view.setFloat64(offset, v, true);
      offset += 8;
    }
  }
  return bytes;
}

/**
 * Decodes {@link encodeCheckpoint}'s bytes, checking every size against the byte count
 * before allocating.
 *
 * @param bytes - the encoded checkpoint
 * @param name - the file name for error messages (default `"checkpoint"`)
 * @throws `CorruptFileError` naming `name` for a wrong magic, a truncated file or a bad header
 *
 * @example
 * ```ts
 * import { decodeCheckpoint } from "@convexformer/io";
 * try { decodeCheckpoint(new Uint8Array(4), "run/checkpoint.bin"); } catch (e) { (e as Error).message; } // run/checkpoint.bin: …
 * ```
 */
export function decodeCheckpoint(bytes: Uint8Array, name = "checkpoint"): Checkpoint {
  if (bytes.length < 12 || new TextDecoder().decode(bytes.subarray(0, 8)) !== MAGIC) {
    throw new CorruptFileError(name, "not a Convexformer checkpoint (bad magic)");
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = view.getUint32(8, true);
  if (12 + length > bytes.length) {
    throw new CorruptFileError(
      name,
      `header of ${length} bytes runs past the end (${bytes.length} bytes)`,
    );
  }
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + length)));
  } catch (error) {
    throw new CorruptFileError(name, `header is not JSON (${(error as Error).message})`);
  }
  const h = header as { meta?: JsonValue; arrays?: unknown };
  if (typeof h !== "object" || h === null || !Array.isArray(h.arrays)) {
    throw new CorruptFileError(name, "header lacks the array table");
  }
  let offset = Math.ceil((12 + length) / 8) * 8;
  const arrays: Record<string, Float64Array> = {};
  for (const entry of h.arrays as unknown[]) {
    if (
      !Array.isArray(entry) ||
      typeof entry[0] !== "string" ||
      !Number.isSafeInteger(entry[1]) ||
      (entry[1] as number) < 0
    ) {
      throw new CorruptFileError(name, `bad array table entry ${JSON.stringify(entry)}`);
    }
    const count = entry[1] as number;
    if (offset + 8 * count > bytes.length) {
      throw new CorruptFileError(name, `array "${entry[0]}" (${count} values) runs past the end`);
    }
    const values = new Float64Array(count);
    for (let k = 0; k < count; k++) values[k] = view.getFloat64(offset + 8 * k, true);
    arrays[entry[0]] = values;
    offset += 8 * count;
  }
  if (offset !== bytes.length) {
    throw new CorruptFileError(name, `${bytes.length - offset} trailing bytes`);
  }
  return { meta: h.meta ?? null, arrays };
}

/**
 * A {@link CheckpointStore} in memory (tests, browsers); it keeps an encoded copy, so later
 * changes to the saved arrays do not leak into it.
 *
 * @example
 * ```ts
 * import { memoryCheckpointStore } from "@convexformer/io";
 * const store = memoryCheckpointStore();
 * await store.save({ meta: { step: 1 }, arrays: {} });
 * (await store.load())?.meta; // { step: 1 }
 * ```
 */
export function memoryCheckpointStore(): CheckpointStore & {
  /** Number of saves so far. */
  saves: number;
} {
  let bytes: Uint8Array | undefined;
  const store = {
    saves: 0,
    load: async () => (bytes === undefined ? undefined : decodeCheckpoint(bytes)),
    save: async (checkpoint: Checkpoint) => {
      bytes = encodeCheckpoint(checkpoint);
      store.saves++;
    },
  };
  return store;
}
