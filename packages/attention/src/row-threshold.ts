/**
 * Internal: the proximal maps of the two sequence-program gauges, which share one structure.
 *
 * For an `n × m` block `V` and `τ > 0`, both solve `min_t≥0 φ(t) = Σ_k ½ dist²(v_k, K_t) + τ t`
 * where `K_t` is, per row, the scaled simplex `{c ≥ 0, Σ c = t}` (exact program (33), gauge =
 * common row sum) or the ℓ1 ball `{‖c‖₁ ≤ t}` (relaxation, gauge = max row ℓ1 norm). The
 * distance to `K_t` is attained at `max(v − θ_k, 0)` (resp. `sign(v)·max(|v| − θ_k, 0)`) with
 * the row's threshold `θ_k(t)` (`max(θ_k, 0)` for the ball), and `φ'(t) = τ − Σ_k θ_k(t)`.
 * `θ_k` is piecewise linear and decreasing in `t`: with the `p` largest entries in the support,
 * `θ_k = (S_k(p) − t) / p` (`S_k(p)` their sum); the support grows at `t = S_k(p) − p·a_k(p+1)`.
 * So `φ` is convex and `t*` solves `Σ_k θ_k(t) = τ` on one linear piece, found by walking the
 * sorted breakpoints; `t* = 0` (the zero block) when `Σ_k max_m v_km ≤ τ`.
 */
export function rowThresholdProx(
  v: Float64Array,
  offset: number,
  rows: number,
  cols: number,
  tau: number,
  mode: "simplex" | "ball",
  out: Float64Array,
  outOffset: number,
): void {
  const ball = mode === "ball";
  // sorted (descending) values per row and their prefix sums
  const sorted = new Float64Array(rows * cols);
  const prefix = new Float64Array(rows * (cols + 1));
  let f0 = 0;
  for (let k = 0; k < rows; k++) {
    const row = sorted.subarray(k * cols, (k + 1) * cols);
    for (let m = 0; m < cols; m++) {
      const x = v[offset + k * cols + m] as number;
      row[m] = ball ? Math.abs(x) : x;
    }
    row.sort();
    row.reverse();
    let s = 0;
    prefix[k * (cols + 1)] = 0;
    for (let m = 0; m < cols; m++) {
      s += row[m] as number;
      prefix[k * (cols + 1) + m + 1] = s;
    }
    f0 += row[0] as number;
  }
  if (f0 <= tau) {
    for (let e = 0; e < rows * cols; e++) out[outOffset + e] = 0;
    return;
  }
  // events: support growth (kind 0) at S(p) − p·a(p+1), deactivation of a ball row (kind 1) at ‖v_k‖₁
  const eventT: number[] = [];
  const eventRow: number[] = [];
  const eventKind: number[] = [];
  for (let k = 0; k < rows; k++) {
    for (let p = 1; p < cols; p++) {
      eventT.push((prefix[k * (cols + 1) + p] as number) - p * (sorted[k * cols + p] as number));
      eventRow.push(k);
      eventKind.push(0);
    }
    if (ball) {
      eventT.push(prefix[k * (cols + 1) + cols] as number);
      eventRow.push(k);
      eventKind.push(1);
    }
  }
  const order = Array.from(eventT.keys()).sort(
    (a, b) =>
      (eventT[a] as number) - (eventT[b] as number) ||
      (eventKind[a] as number) - (eventKind[b] as number),
  );
  const support = new Int32Array(rows).fill(1);
  const active = new Uint8Array(rows).fill(1);
  let A = 0;
  let B = 0;
  for (let k = 0; k < rows; k++) {
    A += prefix[k * (cols + 1) + 1] as number;
    B += 1;
  }
  let found = false;
  for (const e of order) {
    const te = eventT[e] as number;
    if (B > 0 && (A - tau) / B <= te) {
      found = true;
      break;
    }
    const k = eventRow[e] as number;
    const p = support[k] as number;
    const sp = prefix[k * (cols + 1) + p] as number;
    if (eventKind[e] === 0) {
      if (active[k] === 1) {
        const sq = prefix[k * (cols + 1) + p + 1] as number;
        A += sq / (p + 1) - sp / p;
        B += 1 / (p + 1) - 1 / p;
      }
      support[k] = p + 1;
    } else {
      active[k] = 0;
      A -= sp / p;
      B -= 1 / p;
    }
  }
  if (!found && B <= 0) {
    // cannot happen for τ > 0 (Σθ reaches 0 before every row leaves the ball); be safe
    for (let e = 0; e < rows * cols; e++) out[outOffset + e] = 0;
    return;
  }
  // recompute the piece exactly from the final supports
  A = 0;
  B = 0;
  for (let k = 0; k < rows; k++) {
    if (active[k] === 0) continue;
    const p = support[k] as number;
    A += (prefix[k * (cols + 1) + p] as number) / p;
    B += 1 / p;
  }
  const t = Math.max(0, (A - tau) / B);
  for (let k = 0; k < rows; k++) {
    const p = support[k] as number;
    const theta = active[k] === 1 ? ((prefix[k * (cols + 1) + p] as number) - t) / p : 0;
    const th = ball ? Math.max(theta, 0) : theta;
    for (let m = 0; m < cols; m++) {
      const x = v[offset + k * cols + m] as number;
      if (ball) {
        const a = Math.abs(x) - th;
        out[outOffset + k * cols + m] = a > 0 ? Math.sign(x) * a : 0;
      } else {
        const a = x - th;
        out[outOffset + k * cols + m] = Math.max(a, 0);
      }
    }
  }
}
