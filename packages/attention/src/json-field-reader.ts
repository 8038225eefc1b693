import { CorruptFileError } from "@convexformer/tensors";

/** Largest array a saved model may declare (2^27 entries, 1 GiB as float64). */
const MAX_ENTRIES = 2 ** 27;

/**
 * Reads typed fields out of parsed JSON, naming the field on failure (`CorruptFileError` whose
 * `argument` is the field, e.g. `network.w1[3]`): what a program entry's `fromJson` reads a
 * saved model with. Arrays are capped at 2^27 entries (1 GiB as float64).
 *
 * @example
 * ```ts
 * import { JsonFieldReader } from "@convexformer/attention";
 * const r = new JsonFieldReader("model.json");
 * const net = r.object(JSON.parse('{"heads":2,"w":[1,2,3,4]}'), "network");
 * r.size(net.heads, "network.heads");              // 2
 * r.numbers(net.w, "network.w", [2, 2]).length;    // 4
 * ```
 */
export class JsonFieldReader {
  /**
   * @param source - a name for the text in error messages (e.g. its file name), kept as `source`
   */
  constructor(readonly source: string) {}

  /**
   * The value as a JSON object.
   *
   * @param value - the parsed value
   * @param field - its field name (`""` for the root)
   */
  object(value: unknown, field: string): Record<string, unknown> {
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      throw new CorruptFileError(
        field === "" ? "text" : field,
        `${this.source}: expected an object, got ${describeJsonValue(value)}`,
      );
    }
    return value as Record<string, unknown>;
  }

  /**
   * The value as a size: an integer in `[1, 2^27]`.
   *
   * @param value - the parsed value
   * @param field - its field name
   */
  size(value: unknown, field: string): number {
    if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 1) {
      throw new CorruptFileError(
        field,
        `${this.source}: expected an integer >= 1, got ${describeJsonValue(value)}`,
      );
    }
    if (value > MAX_ENTRIES) {
      throw new CorruptFileError(field, `${this.source}: ${value} exceeds ${MAX_ENTRIES}`);
    }
    return value;
  }

  /**
   * The value as an array of `Π dims` finite numbers.
   *
   * @param value - the parsed value
   * @param field - its field name
   * @param dims - the array's dimensions
   */
  numbers(value: unknown, field: string, dims: readonly number[]): Float64Array {
    let length = 1;
    for (const v of dims) length *= v;
    if (length > MAX_ENTRIES) {
      throw new CorruptFileError(
        field,
        `${this.source}: ${dims.join(" × ")} = ${length} entries exceed ${MAX_ENTRIES}`,
      );
    }
    if (!Array.isArray(value)) {
      throw new CorruptFileError(
        field,
        `${this.source}: expected an array of ${length} numbers, got ${describeJsonValue(value)}`,
      );
    }
    if (value.length !== length) {
      throw new CorruptFileError(
        field,
        `${this.source}: expected ${dims.join(" × ")} = ${length} numbers, got ${value.length}`,
      );
    }
    const out = new Float64Array(length);
    for (let i = 0; i < length; i++) {
      const v: unknown = value[i];
      if (typeof v !== "number" || !Number.isFinite(v)) {
        throw new CorruptFileError(
          `${field}[${i}]`,
          `${this.source}: expected a finite number, got ${describeJsonValue(v)}`,
        );
      }
      out[i] = v;
    }
    return out;
  }
}

/** A short description of a JSON value for error messages (internal). */
function describeJsonValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === "string")
    return JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}...` : value);
  if (typeof value === "object") return "an object";
  return String(value);
}
