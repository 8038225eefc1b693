import type { Matrix } from "@convexformer/tensors";
import type { LinearOperator } from "../linear-operator.js";

/** `operator.toDense()` when it offers one and it succeeds (implementations may throw when too large). @internal */
export function denseFormOf(operator: LinearOperator): Matrix | undefined {
  if (operator.toDense === undefined) return undefined;
  try {
    return operator.toDense();
  } catch {
    return undefined;
  }
}
