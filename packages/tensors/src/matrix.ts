import { ShapeMismatchError } from "./errors.js";
import { assertInteger } from "./validate.js";

/**
 * A dense row-major float64 matrix. `data[i * cols + j]` is entry `(i, j)`.
 *
 * Views share memory: {@link Matrix.row} and {@link Matrix.rowBlock} return windows on the same
 * `Float64Array` (no copy), so writing through a view writes the matrix.
 *
 * @example
 * ```ts
 * import { Matrix } from "@convexformer/tensors";
 * const a = Matrix.fromRows([[1, 2], [3, 4]]);
 * a.get(1, 0); // 3
 * a.row(0);    // Float64Array [1, 2] (a view)
 * ```
 */
export class Matrix {
  /** Number of rows. */
  readonly rows: number;
  /** Number of columns. */
  readonly cols: number;
  /** Row-major storage of length `rows * cols`. */
  readonly data: Float64Array;

  /**
   * Wraps `data` (no copy) or allocates zeros.
   *
   * @param rows - number of rows (integer ≥ 0)
   * @param cols - number of columns (integer ≥ 0)
   * @param data - row-major storage of length `rows * cols`; zeros when omitted
   * @throws {@link ShapeMismatchError} when `data.length !== rows * cols`
   */
  constructor(rows: number, cols: number, data?: Float64Array) {
    assertInteger("rows", rows);
    assertInteger("cols", cols);
    const size = rows * cols;
    if (data === undefined) {
      data = new Float64Array(size);
    } else if (data.length !== size) {
      throw new ShapeMismatchError(
        "data",
        `a ${rows}x${cols} matrix needs ${size} entries, got ${data.length}`,
      );
    }
    this.rows = rows;
    this.cols = cols;
    this.data = data;
  }

  /**
   * A `rows × cols` matrix of zeros.
   *
   * @param rows - number of rows (an integer ≥ 0; otherwise `invalid-option`)
   * @param cols - number of columns (an integer ≥ 0; otherwise `invalid-option`)
   * @example
   * ```ts
   * import { Matrix } from "@convexformer/tensors";
   * Matrix.zeros(2, 3).data.length; // 6
   * ```
   */
  static zeros(rows: number, cols: number): Matrix {
    return new Matrix(rows, cols);
  }

  /**
   * The `n × n` identity.
   *
   * @param n - number of rows and columns (an integer ≥ 0; otherwise `invalid-option`)
   * @example
   * ```ts
   * import { Matrix } from "@convexformer/tensors";
   * Matrix.identity(2).toRows(); // [[1, 0], [0, 1]]
   * ```
   */
  static identity(n: number): Matrix {
    assertInteger("n", n, 0);
    const m = new Matrix(n, n);
    for (let i = 0; i < n; i++) m.data[i * n + i] = 1;
    return m;
  }

  /**
   * Copies nested arrays into a new matrix; every row must have the same length.
   *
   * @param rows - the rows, copied (not kept): each an array of the same length, which becomes
   *   `cols`; `[]` gives a `0 × 0` matrix; a row of another length is `shape-mismatch`
   * @example
   * ```ts
   * import { Matrix } from "@convexformer/tensors";
   * Matrix.fromRows([[1, 2, 3]]).cols; // 3
   * ```
   */
  static fromRows(rows: readonly (readonly number[])[]): Matrix {
    const r = rows.length;
    const c = r === 0 ? 0 : (rows[0] as readonly number[]).length;
    const m = new Matrix(r, c);
    for (let i = 0; i < r; i++) {
      const row = rows[i] as readonly number[];
      if (row.length !== c) {
        throw new ShapeMismatchError(`rows[${i}]`, `expected ${c} columns, got ${row.length}`);
      }
      m.data.set(row, i * c);
    }
    return m;
  }

  /**
   * Entry `(i, j)` (no bounds check beyond the typed array's).
   *
   * @param i - row index, `0 ≤ i < rows` (not checked: an index outside the storage reads
   *   `undefined`)
   * @param j - column index, `0 ≤ j < cols` (not checked: a column past the end reads the next
   *   row's entries)
   */
  get(i: number, j: number): number {
    return this.data[i * this.cols + j] as number;
  }

  /**
   * Sets entry `(i, j)` (no bounds check beyond the typed array's).
   *
   * @param i - row index, `0 ≤ i < rows` (not checked: a write outside the storage is dropped)
   * @param j - column index, `0 ≤ j < cols` (not checked: a column past the end writes the next
   *   row)
   * @param value - the new entry, stored as is (not validated: `NaN` and infinities are kept)
   */
  set(i: number, j: number, value: number): void {
    this.data[i * this.cols + j] = value;
  }

  /**
   * Row `i` as a zero-copy view.
   *
   * @param i - row index, `0 ≤ i < rows`; otherwise `shape-mismatch`
   */
  row(i: number): Float64Array {
    if (!(i >= 0 && i < this.rows))
      throw new ShapeMismatchError("i", `row ${i} out of range [0, ${this.rows})`);
    return this.data.subarray(i * this.cols, (i + 1) * this.cols);
  }

  /**
   * Rows `start ≤ i < end` as a zero-copy `(end − start) × cols` matrix.
   *
   * @param start - first row of the block (inclusive)
   * @param end - row after the last one of the block (exclusive); `0 ≤ start ≤ end ≤ rows`,
   *   otherwise `shape-mismatch`
   */
  rowBlock(start: number, end: number): Matrix {
    if (!(start >= 0 && start <= end && end <= this.rows)) {
      throw new ShapeMismatchError(
        "rowBlock",
        `rows [${start}, ${end}) out of range [0, ${this.rows})`,
      );
    }
    return new Matrix(
      end - start,
      this.cols,
      this.data.subarray(start * this.cols, end * this.cols),
    );
  }

  /** A deep copy. */
  clone(): Matrix {
    return new Matrix(this.rows, this.cols, this.data.slice());
  }

  /** The transpose, as a new matrix. */
  transpose(): Matrix {
    const { rows, cols, data } = this;
    const t = new Matrix(cols, rows);
    const out = t.data;
    for (let i = 0; i < rows; i++) {
      const base = i * cols;
      for (let j = 0; j < cols; j++) out[j * rows + i] = data[base + j] as number;
    }
    return t;
  }

  /** Nested arrays (a copy), e.g. for JSON output. */
  toRows(): number[][] {
    const out: number[][] = [];
    for (let i = 0; i < this.rows; i++) out.push(Array.from(this.row(i)));
    return out;
  }
}
