/** `‖x[offset : offset + d]‖₂`, scaled against overflow (internal). */
export function norm2(x: ArrayLike<number>, offset: number, d: number): number {
  let scale = 0;
  for (let q = 0; q < d; q++) scale = Math.max(scale, Math.abs(x[offset + q] as number));
  if (scale === 0) return 0;
  let s = 0;
  for (let q = 0; q < d; q++) {
    const v = (x[offset + q] as number) / scale;
    s += v * v;
  }
  return scale * Math.sqrt(s);
}
