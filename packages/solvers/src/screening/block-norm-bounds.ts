import { gemm } from "@convexformer/tensors";
import type { LinearOperator } from "../linear-operator.js";
import type { GroupStructure } from "../regularizer.js";

const cache = new WeakMap<LinearOperator, { ptr: Int32Array; bounds: Float64Array }>();

/** Groups larger than this use the Frobenius bound (the Gram would cost too much). */
const GRAM_LIMIT = 256;

/**
 * Upper bounds `b_g ≥ ‖A_g‖₂` on the spectral norms of the column blocks `A_g` of the groups:
 * what gap-safe screening needs to turn a dual ball into a safe test. Each bound is rigorous
 * (up to rounding, covered by a `1e-10` relative margin): `‖A_g‖₂² = λ_max(A_gᵀA_g) ≤
 * ‖(A_gᵀA_g)^{16}‖_F^{1/16}` (within a factor `size^{1/32}` of the truth), the Frobenius norm
 * for groups of more than 256 columns, and the exact column norm for groups of size one.
 * Columns come from `toDense()` or, failing that, `applyColumns` on unit vectors; returns
 * `undefined` when the operator has neither. Cached per operator and group layout.
 *
 * @param operator - `A`
 * @param groups - the group structure
 * @example
 * ```ts
 * import { Matrix } from "@convexformer/tensors";
 * import { blockNormBounds, denseOperator, groupL2 } from "@convexformer/solvers";
 * const A = denseOperator(Matrix.fromRows([[3, 0], [4, 0]]));
 * blockNormBounds(A, groupL2({ sizes: [1, 1] }).groups!); // ≈ [5, 0]
 * ```
 */
export function blockNormBounds(
  operator: LinearOperator,
  groups: GroupStructure,
): Float64Array | undefined {
  const hit = cache.get(operator);
  if (hit !== undefined && sameLayout(hit.ptr, groups.ptr)) return hit.bounds;
  const { rows, cols } = operator;
  const dense = operator.toDense?.();
  let columnsOf:
    | ((a: number, b: number) => { data: Float64Array; stride: number; offset: number })
    | undefined;
  if (dense !== undefined) {
    columnsOf = (a) => ({ data: dense.data, stride: cols, offset: a });
  } else if (operator.applyColumns !== undefined) {
    const applyColumns = operator.applyColumns.bind(operator);
    columnsOf = (a, b) => {
      const size = b - a;
      const block = new Float64Array(rows * size);
      const e = new Float64Array(size);
      const col = new Float64Array(rows);
      for (let j = 0; j < size; j++) {
        e.fill(0);
        e[j] = 1;
        applyColumns(a, b, e, col);
        for (let r = 0; r < rows; r++) block[r * size + j] = col[r] as number;
      }
      return { data: block, stride: size, offset: 0 };
    };
  }
  if (columnsOf === undefined) return undefined;
  const { count, ptr } = groups;
  const bounds = new Float64Array(count);
  for (let g = 0; g < count; g++) {
    const a = ptr[g] as number;
    const b = ptr[g + 1] as number;
    const size = b - a;
    if (size === 0) continue;
    const { data, stride, offset } = columnsOf(a, b);
    let sq: number;
    if (size === 1 || size > GRAM_LIMIT) {
      let s = 0;
      for (let r = 0; r < rows; r++) {
        for (let j = 0; j < size; j++) {
          const v = data[offset + r * stride + j] as number;
          s += v * v;
        }
      }
      sq = s; // exact for one column, Frobenius otherwise
    } else {
      const gram = new Float64Array(size * size);
      gemm(
        "transpose",
        "no-transpose",
        size,
        size,
        rows,
        1,
        data,
        stride,
        1,
        offset,
        data,
        stride,
        1,
        offset,
        0,
        gram,
        size,
        1,
        0,
      );
      sq = lambdaMaxUpperBound(gram, size);
    }
    bounds[g] = Math.sqrt(sq) * (1 + 1e-10);
  }
  cache.set(operator, { ptr: Int32Array.from(ptr), bounds });
  return bounds;
}

/** `‖M^{16}‖_F^{1/16} ≥ λ_max(M)` for a symmetric PSD `M` (n × n, row-major); M is overwritten. */
function lambdaMaxUpperBound(m: Float64Array, n: number): number {
  let logScale = 0; // M_true^(2^k) = exp(logScale) · m
  let power = 1;
  let tmp: Float64Array = new Float64Array(n * n);
  for (let k = 0; k < 4; k++) {
    const f = frobenius(m);
    if (f === 0) return 0;
    for (let i = 0; i < m.length; i++) m[i] = (m[i] as number) / f;
    logScale += Math.log(f);
    gemm("no-transpose", "no-transpose", n, n, n, 1, m, n, 1, 0, m, n, 1, 0, 0, tmp, n, 1, 0);
    const swap = m;
    m = tmp;
    tmp = swap;
    logScale *= 2;
    power *= 2;
  }
  return Math.exp((logScale + Math.log(frobenius(m))) / power);
}

function frobenius(m: Float64Array): number {
  let s = 0;
  for (let i = 0; i < m.length; i++) s += (m[i] as number) * (m[i] as number);
  return Math.sqrt(s);
}

function sameLayout(a: Int32Array, b: Int32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
