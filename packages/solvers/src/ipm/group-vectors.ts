/** `‖x_g‖₂` of group `g` (columns `ptr[g] … ptr[g+1]`). @internal */
export function groupNorm(x: Float64Array, ptr: Int32Array, g: number): number {
  let s = 0;
  for (let j = ptr[g] as number; j < (ptr[g + 1] as number); j++) s += (x[j] as number) ** 2;
  return Math.sqrt(s);
}

/** Sets group `g` of `x` to zero. @internal */
export function zeroGroup(x: Float64Array, ptr: Int32Array, g: number): void {
  x.fill(0, ptr[g] as number, ptr[g + 1] as number);
}

/** Copies the selected groups of `x` into a contiguous vector of length `size`. @internal */
export function gatherGroups(
  x: Float64Array,
  ptr: Int32Array,
  selected: readonly number[],
  size: number,
): Float64Array {
  const out = new Float64Array(size);
  let o = 0;
  for (const g of selected) {
    for (let j = ptr[g] as number; j < (ptr[g + 1] as number); j++) out[o++] = x[j] as number;
  }
  return out;
}

/** Writes a contiguous vector of the selected groups back into `x` (other groups untouched). @internal */
export function scatterGroups(
  xs: Float64Array,
  ptr: Int32Array,
  selected: readonly number[],
  x: Float64Array,
): void {
  let o = 0;
  for (const g of selected) {
    for (let j = ptr[g] as number; j < (ptr[g + 1] as number); j++) x[j] = xs[o++] as number;
  }
}
