import { gemm, type Matrix } from "@convexformer/tensors";
import type { LinearOperator } from "../linear-operator.js";
import type { GroupStructure } from "../regularizer.js";

const cache = new WeakMap<LinearOperator, { ptr: Int32Array; bounds: Float64Array }>();

/** Groups larger than this keep the Frobenius bound (the Gram would cost too much). */
const GRAM_LIMIT = 256;

/** Reads column blocks `A[:, a:b]` as `{ data, stride, offset }` (row-major, `stride` per row). */
type ColumnBlocks = (
  a: number,
  b: number,
) => { data: Float64Array; stride: number; offset: number };

/**
 * Column access for the bounds: the dense matrix in place, or the block gathered column by
 * column through `applyColumns` on unit vectors (`O(rows)` per column); `undefined` when the
 * operator has neither.
 */
function columnBlocks(
  operator: LinearOperator,
  dense: Matrix | undefined,
): ColumnBlocks | undefined {
  const { rows, cols } = operator;
  if (dense !== undefined && dense.rows === rows && dense.cols === cols) {
    return (a) => ({ data: dense.data, stride: cols, offset: a });
  }
  if (operator.applyColumns === undefined) return undefined;
  const applyColumns = operator.applyColumns.bind(operator);
  const one = new Float64Array([1]);
  const col = new Float64Array(rows);
  return (a, b) => {
    const size = b - a;
    const block = new Float64Array(rows * size);
    for (let j = 0; j < size; j++) {
      applyColumns(a + j, a + j + 1, one, col);
      for (let r = 0; r < rows; r++) block[r * size + j] = col[r] as number;
    }
    return { data: block, stride: size, offset: 0 };
  };
}

/** A rigorous upper bound of `‖A_g‖₂²` for a block: via its Gram matrix up to 256 columns, Frobenius beyond. */
function blockSquaredBound(
  rows: number,
  size: number,
  data: Float64Array,
  stride: number,
  offset: number,
): number {
  if (size === 1 || size > GRAM_LIMIT) {
    let s = 0;
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < size; j++) {
        const v = data[offset + r * stride + j] as number;
        s += v * v;
      }
    }
    return s; // exact for one column, Frobenius otherwise
  }
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
  return lambdaMaxUpperBound(gram, size);
}

/**
 * Upper bounds `b_g ≥ ‖A_g‖₂` on the spectral norms of the column blocks `A_g` of the groups:
 * what gap-safe screening needs to turn a dual ball into a safe test. Each bound is rigorous
 * (up to rounding, covered by a `1e-10` relative margin): `‖A_g‖₂² = λ_max(A_gᵀA_g) ≤
 * ‖(A_gᵀA_g)^{16}‖_F^{1/16}` (within a factor `size^{1/32}` of the truth), the Frobenius norm
 * for groups of more than 256 columns, and the exact column norm for groups of size one.
 * Costs `O(rows · size²)` per group (the Gram matrices); FISTA instead starts from the cheap
 * Frobenius bounds of `LazyBlockNorms` (internal) and tightens only the groups a tighter
 * bound would screen. Columns come from `toDense()` or, failing that, `applyColumns` on unit
 * vectors (`O(rows)` per column); returns `undefined` when the operator has neither. Cached
 * per operator and group layout.
 *
 * @param operator - `A`; its columns are read through `toDense()` or `applyColumns` (the
 *   bounds are cached per operator object)
 * @param groups - the contiguous groups of the columns (`ptr` ending at `operator.cols`), e.g.
 *   a `groupL2` regularizer's `groups`; one bound per group
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
  const blocks = columnBlocks(operator, operator.toDense?.());
  if (blocks === undefined) return undefined;
  const { count, ptr } = groups;
  const bounds = new Float64Array(count);
  for (let g = 0; g < count; g++) {
    const a = ptr[g] as number;
    const b = ptr[g + 1] as number;
    if (b === a) continue;
    const { data, stride, offset } = blocks(a, b);
    bounds[g] =
      Math.sqrt(blockSquaredBound(operator.rows, b - a, data, stride, offset)) * (1 + 1e-10);
  }
  cache.set(operator, { ptr: Int32Array.from(ptr), bounds });
  return bounds;
}

/**
 * Block-norm bounds for gap-safe screening that cost one pass over the columns up front and
 * tighten lazily: `upper[g] ≥ ‖A_g‖₂` starts as the Frobenius norm `‖A_g‖_F` (exact for groups
 * of one column), `lower[g] ≤ ‖A_g‖₂` is the largest column norm, and
 * {@link LazyBlockNorms.refine} replaces `upper[g]` by the Gram bound of
 * {@link blockNormBounds} (`O(rows · size²)`) only for a group whose screening test a tighter
 * bound could pass (`lower[g] < needed`), once per group.
 *
 * The Frobenius norm alone is loose by about `sqrt(size)` on Gaussian blocks (`√(N·s)` vs
 * `√N + √s`), which delays screening until the gap is `size` times smaller; the lower bound
 * is within `1 + sqrt(size/N)` of the truth there, so refining exactly the groups with
 * `lower[g] < needed` spends Gram work only where it pays. @internal
 *
 * @example
 * ```ts
 * import { Matrix } from "@convexformer/tensors";
 * import { denseOperator, groupL2 } from "@convexformer/solvers";
 * import { LazyBlockNorms } from "./block-norm-bounds.js"; // internal module
 * const A = denseOperator(Matrix.fromRows([[3, 0, 1], [4, 0, 1]]));
 * const norms = LazyBlockNorms.of(A, groupL2({ sizes: [1, 2] }).groups!)!;
 * norms.upper; // ≈ [5, √2]: exact for the single column, Frobenius for the pair
 * norms.refine(1, 2); // ≈ √2 (the pair's spectral norm: one zero column)
 * ```
 */
export class LazyBlockNorms {
  /** Current rigorous upper bounds of `‖A_g‖₂` (Frobenius, then refined). */
  readonly upper: Float64Array;
  /** Lower bounds of `‖A_g‖₂`: the largest column norm of each block. */
  readonly lower: Float64Array;
  /** Number of groups refined so far. */
  refinedCount = 0;
  /** Set when `stop` ended the column pass early (the bounds are then unusable). */
  private stopped = false;
  private readonly refined: Uint8Array;
  private readonly blocks: ColumnBlocks;
  private readonly rows: number;
  private readonly ptr: Int32Array;

  private constructor(
    operator: LinearOperator,
    groups: GroupStructure,
    blocks: ColumnBlocks,
    dense: Matrix | undefined,
    stop?: () => boolean,
  ) {
    const { count, ptr } = groups;
    const { rows, cols } = operator;
    this.rows = rows;
    this.ptr = ptr;
    this.blocks = blocks;
    this.upper = new Float64Array(count);
    this.lower = new Float64Array(count);
    this.refined = new Uint8Array(count);
    const colSq = new Float64Array(cols);
    if (dense !== undefined && dense.rows === rows && dense.cols === cols) {
      const d = dense.data;
      for (let r = 0; r < rows; r++) {
        const base = r * cols;
        for (let j = 0; j < cols; j++) {
          const v = d[base + j] as number;
          colSq[j] = (colSq[j] as number) + v * v;
        }
      }
    } else {
      const applyColumns = operator.applyColumns?.bind(operator);
      const one = new Float64Array([1]);
      const col = new Float64Array(rows);
      for (let j = 0; j < cols; j++) {
        if (stop !== undefined && (j & 63) === 63 && stop()) {
          this.stopped = true;
          break;
        }
        applyColumns?.(j, j + 1, one, col);
        let s = 0;
        for (let r = 0; r < rows; r++) s += (col[r] as number) * (col[r] as number);
        colSq[j] = s;
      }
    }
    for (let g = 0; g < count; g++) {
      const a = ptr[g] as number;
      const b = ptr[g + 1] as number;
      let f = 0;
      let m = 0;
      for (let j = a; j < b; j++) {
        const v = colSq[j] as number;
        f += v;
        if (v > m) m = v;
      }
      this.upper[g] = Math.sqrt(f) * (1 + 1e-10);
      this.lower[g] = Math.sqrt(m);
      if (b - a <= 1 || b - a > GRAM_LIMIT) this.refined[g] = 1; // nothing tighter on offer
    }
  }

  /**
   * Builds the bounds (one pass over the columns: the rows of `dense` when given, else
   * `applyColumns` on unit vectors); `undefined` when the operator offers neither.
   *
   * @param operator - `A`
   * @param groups - the group structure
   * @param dense - `A` as a dense matrix, when the caller has it
   * @param stop - polled every 64 columns of the pass; when it returns `true` the pass ends and
   *   `of` returns `undefined` (the solve's signal / time limit during set-up)
   */
  static of(
    operator: LinearOperator,
    groups: GroupStructure,
    dense?: Matrix,
    stop?: () => boolean,
  ): LazyBlockNorms | undefined {
    const blocks = columnBlocks(operator, dense);
    if (blocks === undefined) return undefined;
    const norms = new LazyBlockNorms(operator, groups, blocks, dense, stop);
    return norms.stopped ? undefined : norms;
  }

  /**
   * A rigorous upper bound of `‖A_g‖₂`, tightened to the Gram bound (once) when `needed`, the
   * largest bound that would pass the caller's test, lies between the lower and the current
   * upper bound.
   *
   * @param g - the group
   * @param needed - the bound below which the caller's test passes
   */
  refine(g: number, needed: number): number {
    const current = this.upper[g] as number;
    if (this.refined[g] === 1 || !(needed < current) || !((this.lower[g] as number) < needed))
      return current;
    this.refined[g] = 1;
    this.refinedCount++;
    const a = this.ptr[g] as number;
    const b = this.ptr[g + 1] as number;
    const { data, stride, offset } = this.blocks(a, b);
    const tight =
      Math.sqrt(blockSquaredBound(this.rows, b - a, data, stride, offset)) * (1 + 1e-10);
    if (tight < current) this.upper[g] = tight;
    return this.upper[g] as number;
  }
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
