/**
 * Whether a kernel reads a matrix argument as stored (`"no-transpose"`) or transposed.
 * The names follow stdlib-js's BLAS packages.
 */
export type Transpose = "no-transpose" | "transpose";
