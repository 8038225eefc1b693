import { CorruptFileError, validateKnownOptions } from "@convexformer/tensors";
import type { TextRecord } from "../text/text-features.js";
import { DEFAULT_MAX_BYTES, validateFileSize } from "./file-size.js";
import { readLines } from "./read-lines.js";

/**
 * Options of {@link loadTextRecords}. Unknown keys are errors.
 *
 * @example
 * ```ts
 * import type { TextRecordsOptions } from "@convexformer/io/node";
 * const options: TextRecordsOptions = { textField: "paragraph", labelField: "party" };
 * ```
 */
export interface TextRecordsOptions {
  /** The field holding the text (default `"text"`). */
  readonly textField?: string;
  /** The field holding the label, a finite number (default `"label"`). */
  readonly labelField?: string;
  /** Refuse files larger than this (default 1 GiB). */
  readonly maxBytes?: number;
}

const OPTION_NAMES = ["textField", "labelField", "maxBytes"] as const;

/**
 * Reads a JSONL file of labelled texts, one JSON object per line (blank lines are
 * skipped), e.g. `{"text": "…", "label": 1}`, streamed line by line.
 *
 * @param path - the JSONL file of labelled texts
 * @param options - {@link TextRecordsOptions}: `textField` (default `"text"`), `labelField`
 *   (default `"label"`), `maxBytes` (default 1 GiB); unknown keys are errors
 * @throws `InvalidOptionError` for a missing/oversized file; `CorruptFileError` naming the
 *   file, the line and the field for invalid JSON, a missing or non-string text, or a missing
 *   or non-finite label
 *
 * @example
 * ```ts
 * import { mkdtempSync, writeFileSync } from "node:fs";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { loadTextRecords } from "@convexformer/io/node";
 * const file = join(mkdtempSync(join(tmpdir(), "text-")), "texts.jsonl");
 * writeFileSync(file, '{"text": "We the people", "label": 1}\n{"text": "of the", "label": 0}\n');
 * const records = await loadTextRecords(file);
 * records.length; // 2
 * ```
 */
export async function loadTextRecords(
  path: string,
  options: TextRecordsOptions = {},
): Promise<TextRecord[]> {
  validateKnownOptions("options", options, OPTION_NAMES);
  const textField = options.textField ?? "text";
  const labelField = options.labelField ?? "label";
  await validateFileSize("path", path, options.maxBytes ?? DEFAULT_MAX_BYTES);
  const records: TextRecord[] = [];
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
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      throw new CorruptFileError(path, `line ${number}: expected a JSON object`);
    }
    const object = value as Record<string, unknown>;
    const text = object[textField];
    if (typeof text !== "string") {
      throw new CorruptFileError(
        path,
        `line ${number}, field "${textField}": expected a string, got ${JSON.stringify(text) ?? "nothing"}`,
      );
    }
    const label = object[labelField];
    if (typeof label !== "number" || !Number.isFinite(label)) {
      throw new CorruptFileError(
        path,
        `line ${number}, field "${labelField}": expected a finite number, got ${JSON.stringify(label) ?? "nothing"}`,
      );
    }
    records.push({ text, label });
  });
  if (records.length === 0) throw new CorruptFileError(path, "no records");
  return records;
}
