import { readFile } from "node:fs/promises";
import { CorruptFileError, TokenBatch, validateKnownOptions } from "@convexformer/tensors";
import { DEFAULT_MAX_BYTES, validateFileSize } from "./file-size.js";
import { readLines } from "./read-lines.js";
import type { TokenDataset } from "./token-dataset.js";

/**
 * Options of {@link loadTokenRecords}. Unknown keys are errors.
 *
 * @example
 * ```ts
 * import type { TokenRecordsOptions } from "@convexformer/io/node";
 * const options: TokenRecordsOptions = { format: "jsonl", maxBytes: 2 ** 26 };
 * ```
 */
export interface TokenRecordsOptions {
  /** `"json"` (one array of records) or `"jsonl"` (one record per line); default from the extension (`.jsonl` → jsonl). */
  readonly format?: "json" | "jsonl";
  /** Refuse files larger than this (default 1 GiB; a JSON array is parsed whole). */
  readonly maxBytes?: number;
}

const OPTION_NAMES = ["format", "maxBytes"] as const;

/**
 * Reads token records `{"tokens": [[x_11, …, x_1d], …, [x_n1, …, x_nd]], "label": y}` (`y` a
 * number or an array of numbers) from a JSON array or a JSONL file. The first record fixes
 * `n`, `d` and the label length; every other record must match.
 *
 * @param path - the JSON or JSONL file of token records
 * @param options - {@link TokenRecordsOptions}: `format` (default: from the extension, `.jsonl` →
 *   JSONL) and `maxBytes` (default 1 GiB); unknown keys are errors
 * @throws `InvalidOptionError` for a missing/oversized file; `CorruptFileError` naming the
 *   file, the record (and line for JSONL), the token and the feature of a bad entry
 *
 * @example
 * ```ts
 * import { mkdtempSync, writeFileSync } from "node:fs";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { loadTokenRecords } from "@convexformer/io/node";
 * const file = join(mkdtempSync(join(tmpdir(), "tok-")), "data.jsonl");
 * writeFileSync(file, '{"tokens": [[1, 0], [0, 1]], "label": 1}\n{"tokens": [[0, 0], [1, 1]], "label": -1}\n');
 * const data = await loadTokenRecords(file);
 * data.X.tokens; // 2
 * Array.from(data.targets); // [1, -1]
 * ```
 */
export async function loadTokenRecords(
  path: string,
  options: TokenRecordsOptions = {},
): Promise<TokenDataset> {
  validateKnownOptions("options", options, OPTION_NAMES);
  const format = options.format ?? (path.toLowerCase().endsWith(".jsonl") ? "jsonl" : "json");
  if (format !== "json" && format !== "jsonl") {
    throw new CorruptFileError(path, `unknown format ${JSON.stringify(format)}`);
  }
  await validateFileSize("path", path, options.maxBytes ?? DEFAULT_MAX_BYTES);
  let n = -1;
  let d = -1;
  let c = -1;
  const features: number[] = [];
  const targets: number[] = [];
  let count = 0;
  const add = (value: unknown, where: string): void => {
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      throw new CorruptFileError(
        path,
        `${where}: expected an object {"tokens": [...], "label": ...}`,
      );
    }
    const record = value as Record<string, unknown>;
    const tokens = record.tokens;
    if (!Array.isArray(tokens) || tokens.length === 0) {
      throw new CorruptFileError(
        path,
        `${where}, field "tokens": expected a non-empty array of token rows`,
      );
    }
    if (n < 0) n = tokens.length;
    if (tokens.length !== n) {
      throw new CorruptFileError(
        path,
        `${where}, field "tokens": ${tokens.length} tokens, the first record has ${n}`,
      );
    }
    tokens.forEach((row: unknown, t) => {
      if (!Array.isArray(row) || row.length === 0) {
        throw new CorruptFileError(
          path,
          `${where}, token ${t}: expected a non-empty array of numbers`,
        );
      }
      if (d < 0) d = row.length;
      if (row.length !== d) {
        throw new CorruptFileError(
          path,
          `${where}, token ${t}: ${row.length} features, the first record has ${d}`,
        );
      }
      row.forEach((x: unknown, q) => {
        if (typeof x !== "number" || !Number.isFinite(x)) {
          throw new CorruptFileError(
            path,
            `${where}, token ${t}, feature ${q}: expected a finite number, got ${JSON.stringify(x) ?? "nothing"}`,
          );
        }
        features.push(x);
      });
    });
    const label = record.label;
    const values = Array.isArray(label) ? label : [label];
    if (values.length === 0)
      throw new CorruptFileError(path, `${where}, field "label": empty array`);
    if (c < 0) c = values.length;
    if (values.length !== c) {
      throw new CorruptFileError(
        path,
        `${where}, field "label": ${values.length} values, the first record has ${c}`,
      );
    }
    values.forEach((y: unknown, l) => {
      if (typeof y !== "number" || !Number.isFinite(y)) {
        throw new CorruptFileError(
          path,
          `${where}, field "label"${Array.isArray(label) ? `[${l}]` : ""}: expected a finite number, got ${JSON.stringify(y) ?? "nothing"}`,
        );
      }
      targets.push(y);
    });
    count++;
  };
  if (format === "jsonl") {
    await readLines(path, (line, number) => {
      if (line.trim() === "") return;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch (error) {
        throw new CorruptFileError(
          path,
          `line ${number}: invalid JSON (${(error as Error).message})`,
        );
      }
      add(value, `line ${number} (record ${count})`);
    });
  } else {
    let value: unknown;
    try {
      value = JSON.parse(await readFile(path, "utf8"));
    } catch (error) {
      throw new CorruptFileError(path, `invalid JSON (${(error as Error).message})`);
    }
    if (!Array.isArray(value)) throw new CorruptFileError(path, "expected a JSON array of records");
    value.forEach((record, i) => {
      add(record, `record ${i}`);
    });
  }
  if (count === 0) throw new CorruptFileError(path, "no records");
  return {
    X: new TokenBatch(count, n, d, Float64Array.from(features)),
    targets: Float64Array.from(targets),
    outputs: c,
    source: path,
  };
}
