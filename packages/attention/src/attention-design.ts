import {
  createGatedDesign,
  type GatedDesign,
  gatedProduct,
  InvalidOptionError,
  ShapeMismatchError,
  type TokenBatch,
  validateFinite,
} from "@convexformer/tensors";

/**
 * The data, gates and outputs of an attention operator as one gated design, with the block
 * bookkeeping its products share (internal: {@link attentionOperator} and its column, restricted
 * and dense forms read it).
 */
export interface AttentionDesign {
  /** `N`. */
  readonly N: number;
  /** `n·d`: the width of one block. */
  readonly nd: number;
  /** `c`. */
  readonly c: number;
  /** `P` (1 without a mask). */
  readonly P: number;
  /** `P·c`: the number of blocks. */
  readonly Pc: number;
  /** `N·c`. */
  readonly rows: number;
  /** `P·c·n·d`. */
  readonly cols: number;
  /** `X_flat` (not copied). */
  readonly Xd: Float64Array;
  /** The `N × P` mask, `undefined` for ungated programs. */
  readonly mask: Uint8Array | undefined;
  /** tensors' gated design (product, mask and sum in one kernel). */
  readonly design: GatedDesign;
  /** The gate `j` of block `b = j·c + l`. */
  readonly gateOf: Int32Array;
  /** The output `l` of block `b = j·c + l`. */
  readonly outputOf: Int32Array;
  /** Scratch: the gates of the blocks of one product. */
  readonly idsGate: Int32Array;
  /** Scratch: the outputs of the blocks of one product. */
  readonly idsOutput: Int32Array;
  /**
   * `out = Σ_t D_{:, j_t} ⊙ (X_flat · z_t)` summed into output `l_t`, for the blocks
   * `ids[0 .. width)` whose `nd` weights lie consecutively in `source`.
   */
  forward(ids: Int32Array, width: number, source: Float64Array, out: Float64Array): void;
  /** `to[at .. at + nd) = from[start .. start + nd)`. */
  copyBlock(from: Float64Array, start: number, to: Float64Array, at: number): void;
  /** Throws `ShapeMismatchError` naming `names` unless the lengths are `xLen`, `outLen`. */
  validateLengths(
    x: Float64Array,
    xLen: number,
    out: Float64Array,
    outLen: number,
    names: [string, string],
  ): void;
}

/** Builds the {@link AttentionDesign} of `X` with `outputs` outputs and an optional mask (internal). */
export function attentionDesign(
  X: TokenBatch,
  outputs: number,
  mask: Uint8Array | undefined,
): AttentionDesign {
  if (!Number.isSafeInteger(outputs) || outputs < 1) {
    throw new InvalidOptionError("outputs", outputs, "must be an integer >= 1");
  }
  validateFinite("X", X.data);
  const N = X.samples;
  const n = X.tokens;
  const d = X.features;
  const nd = n * d;
  const c = outputs;
  let P = 1;
  if (mask !== undefined) {
    if (N === 0 || mask.length % N !== 0 || mask.length === 0) {
      throw new ShapeMismatchError(
        "mask",
        `length ${mask.length} is not a positive multiple of samples = ${N}`,
      );
    }
    P = mask.length / N;
  }
  const Pc = P * c;
  const rows = N * c;
  const cols = Pc * nd;
  const Xd = X.data;
  const validateLengths = (
    x: Float64Array,
    xLen: number,
    out: Float64Array,
    outLen: number,
    names: [string, string],
  ) => {
    if (x.length !== xLen)
      throw new ShapeMismatchError(names[0], `expected length ${xLen}, got ${x.length}`);
    if (out.length !== outLen)
      throw new ShapeMismatchError(names[1], `expected length ${outLen}, got ${out.length}`);
  };

  // the gates as exact 0/1 factors (any nonzero mask byte is an active gate; no mask: all 1)
  const on = new Uint8Array(N * P);
  if (mask === undefined) on.fill(1);
  else for (let k = 0; k < on.length; k++) on[k] = mask[k] !== 0 ? 1 : 0;
  // block b = j·c + l of the variable: its gate j and its output l
  const gateOf = new Int32Array(Pc);
  const outputOf = new Int32Array(Pc);
  for (let b = 0; b < Pc; b++) {
    outputOf[b] = b % c;
    gateOf[b] = (b - (b % c)) / c;
  }
  const idsGate = new Int32Array(Pc);
  const idsOutput = new Int32Array(Pc);
  /** `to[at .. at + nd) = from[start .. start + nd)` (no subarray views on the hot path). */
  const copyBlock = (from: Float64Array, start: number, to: Float64Array, at: number): void => {
    for (let e = 0; e < nd; e++) to[at + e] = from[start + e] as number;
  };
  // the data, the gates and the outputs as a gated design (tensors' fused kernels; X_flat read
  // in place: the operator's contract says it stays unchanged; wasm memory keeps a copy of it
  // and of the mask between products)
  const design = createGatedDesign({
    copyData: false,
    samples: N,
    features: nd,
    data: Xd,
    gateCount: P,
    gates: on,
    outputs: c,
  });

  /**
   * `out = Σ_t D_{:, j_t} ⊙ (X_flat · z_t)` summed into output `l_t`, for the blocks
   * `ids[0 .. width)` (`b = j·c + l`) whose `nd` weights lie consecutively in `source`: one
   * blocked product `T = X_flat · Zᵀ` (`N × width`), then the mask and the sum
   * (`gatedProduct`).
   */
  const forward = (ids: Int32Array, width: number, source: Float64Array, out: Float64Array) => {
    for (let t = 0; t < width; t++) {
      const b = ids[t] as number;
      idsGate[t] = gateOf[b] as number;
      idsOutput[t] = outputOf[b] as number;
    }
    gatedProduct(design, { count: width, gate: idsGate, output: idsOutput }, source, out);
  };

  return {
    N,
    nd,
    c,
    P,
    Pc,
    rows,
    cols,
    Xd,
    mask,
    design,
    gateOf,
    outputOf,
    idsGate,
    idsOutput,
    forward,
    copyBlock,
    validateLengths,
  };
}
