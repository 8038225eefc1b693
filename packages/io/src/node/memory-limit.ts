import { totalmem } from "node:os";
import { UsageError } from "../usage-error.js";

/**
 * The most bytes a command lets one problem need: `CONVEXFORMER_MEMORY_LIMIT` (decimal bytes)
 * when set, else half the machine's memory, at most 16 GiB.
 *
 * @example
 * ```ts
 * import { memoryLimitBytes } from "@convexformer/io/node";
 * memoryLimitBytes() > 0; // true
 * ```
 */
export function memoryLimitBytes(): number {
  const env = process.env.CONVEXFORMER_MEMORY_LIMIT;
  if (env !== undefined && env !== "") {
    if (!/^\d+$/.test(env) || Number(env) < 1)
      throw new UsageError(
        `CONVEXFORMER_MEMORY_LIMIT: must be a decimal number of bytes >= 1; got "${env}"`,
      );
    return Number(env);
  }
  return Math.min(16 * 2 ** 30, Math.floor(totalmem() / 2));
}

/**
 * Bytes in human units: `"9.80 GB"` (powers of 1000, three significant digits).
 *
 * @param bytes - a byte count (a non-finite one prints as `"<value> bytes"`)
 * @example
 * ```ts
 * import { formatBytes } from "@convexformer/io/node";
 * formatBytes(9.8e9); // "9.80 GB"
 * ```
 */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return `${bytes} bytes`;
  const units = ["bytes", "kB", "MB", "GB", "TB", "PB", "EB"];
  let v = bytes;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return u === 0 ? `${Math.round(v)} bytes` : `${v.toPrecision(3)} ${units[u]}`;
}
