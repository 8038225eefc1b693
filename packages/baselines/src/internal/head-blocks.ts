/**
 * Conversions between the two layouts of per-head projection matrices (internal):
 * the tfjs models keep one `rows × (heads·width)` matrix (head `j` = columns
 * `j·width … (j+1)·width − 1`, one product for all heads), the attention package's weight
 * layouts keep `heads × rows × width` blocks (head `j` = block `j`).
 */

/** `rows × (heads·width)` columns → `heads × rows × width` blocks. */
export function blocksFromColumns(
  columns: Float64Array,
  rows: number,
  heads: number,
  width: number,
): Float64Array {
  const out = new Float64Array(columns.length);
  const stride = heads * width;
  for (let j = 0; j < heads; j++)
    for (let q = 0; q < rows; q++)
      for (let r = 0; r < width; r++)
        out[(j * rows + q) * width + r] = columns[q * stride + j * width + r] as number;
  return out;
}

/** `heads × rows × width` blocks → `rows × (heads·width)` columns. */
export function columnsFromBlocks(
  blocks: Float64Array,
  rows: number,
  heads: number,
  width: number,
): Float64Array {
  const out = new Float64Array(blocks.length);
  const stride = heads * width;
  for (let j = 0; j < heads; j++)
    for (let q = 0; q < rows; q++)
      for (let r = 0; r < width; r++)
        out[q * stride + j * width + r] = blocks[(j * rows + q) * width + r] as number;
  return out;
}
