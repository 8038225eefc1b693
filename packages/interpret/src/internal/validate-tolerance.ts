import { InvalidOptionError } from "@convexformer/tensors";

/** Reads `options.tolerance` (default 0), which must be a finite number `≥ 0` (internal). */
export function validateTolerance(options: { readonly tolerance?: number }): number {
  const t = options.tolerance ?? 0;
  if (typeof t !== "number" || !Number.isFinite(t) || t < 0) {
    throw new InvalidOptionError("options.tolerance", t, "must be a finite number >= 0");
  }
  return t;
}
