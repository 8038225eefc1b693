import type { Matrix } from "@convexformer/tensors";
import { type Certificate, certificateBuffers, certifyInto } from "../certificate.js";
import type { CompositeProblem } from "../composite-problem.js";
import type { SolveMonitor } from "../solve-monitor.js";
import type { SolveResult, SolveStatus } from "../solver.js";
import { kktWorkingSet } from "../working-set/kkt-working-set.js";
import { type RestrictedProblem, restrictToGroups } from "../working-set/restrict-to-groups.js";
import { type AdmmSettings, admmLoop } from "./admm-loop.js";
import type { XUpdate } from "./x-update.js";

/** What the working-set outer loop needs from the ADMM solver. @internal */
export interface AdmmWorkingSetConfig {
  readonly settings: AdmmSettings;
  /** The `x`-update of a (restricted) problem, `undefined` when the set-up was interrupted. */
  readonly makeUpdate: (problem: CompositeProblem) => XUpdate | undefined;
  /** `ρ` for a problem whose update gave no estimate (`smoothness · ‖A‖²` or the user's `ρ`). */
  readonly initialRho: (problem: CompositeProblem, update: XUpdate) => number;
  /** Smallest working set `p₀`. */
  readonly minimumSize: number;
  /** The operator's dense form, shared by the restrictions. */
  readonly dense: Matrix | undefined;
}

/**
 * ADMM on a working set of groups (celer-style outer loop): the support plus the worst KKT
 * violators (`min(max(p₀, 2·|support|), max(p₀, |support| + violators))` groups, every group
 * once that is more than half), each
 * round an ADMM solve of the restricted problem (a compact copy of the kept columns, so the
 * exact Cholesky `x`-update is affordable) warm-started from the current point (and, when the
 * set is unchanged, from the previous round's factorization and scaled dual) and stopped at
 * 0.3 × the outer gap, and the full certificate decides. `z` starts as the solve's initial
 * point, certified by `cert`. @internal
 */
export function admmWorkingSet(
  problem: CompositeProblem,
  monitor: SolveMonitor,
  z: Float64Array,
  firstCertificate: Certificate,
  config: AdmmWorkingSetConfig,
): SolveResult {
  const groups = problem.regularizer.groups;
  if (groups === undefined) throw new RangeError("admmWorkingSet needs group structure");
  const { count: G } = groups;
  const { lambda } = problem;
  const tolerance = monitor.tolerance;
  const score = new Float64Array(G);
  const inSet = new Uint8Array(G);
  const noneScreened = new Uint8Array(G);
  let cert = firstCertificate;
  let rho = Number.NaN;
  let previous: Int32Array | undefined;
  let tighten = 1;
  let round: { sub: RestrictedProblem; update: XUpdate; u: Float64Array } | undefined;
  for (;;) {
    // the support plus the worst KKT violators (every extra group costs Gram columns)
    const { keep, complete } = kktWorkingSet(
      monitor.certificateBuffers.gradient,
      z,
      groups,
      lambda,
      noneScreened,
      { score, inSet },
      { workingSet: true, minSize: config.minimumSize },
    );
    const same = previous !== undefined && sameGroups(previous, keep);
    tighten = same ? tighten * 0.5 : 1;
    previous = keep;
    const innerTolerance = complete
      ? tolerance
      : tighten * Math.max(0.5 * tolerance, 0.3 * cert.relativeGap);

    // an unchanged set keeps its restriction, its factorization and its scaled dual
    if (!same || round === undefined) {
      const sub = restrictToGroups(
        problem,
        keep,
        config.dense === undefined ? {} : { dense: config.dense },
      );
      const update = config.makeUpdate(sub.problem);
      const stop = monitor.interrupted();
      if (update === undefined || stop !== undefined) return monitor.finish(z, stop ?? "aborted");
      if (!Number.isFinite(rho)) rho = config.initialRho(sub.problem, update);
      round = { sub, update, u: new Float64Array(sub.problem.dim) };
    }
    const { sub, update, u: uW } = round;
    const dimW = sub.problem.dim;
    const whole = sub.strategy === "full";
    const zW = whole ? z : new Float64Array(dimW);
    if (!whole) sub.gather(z, zW);
    const work = certificateBuffers(sub.problem);
    const { status, rho: rhoAfter } = admmLoop(sub.problem, zW, uW, rho, update, config.settings, {
      certify: (v) => (whole ? monitor.certify(v) : certifyInto(sub.problem, v, work, false)),
      step(v, objective, c) {
        if (!whole) {
          z.fill(0);
          sub.scatter(v, z);
        }
        // the restricted objective is the full one (the dropped groups are zero)
        const s = monitor.step(z, objective, whole ? c : undefined);
        if (s !== undefined) return s;
        if (c !== undefined && c.relativeGap <= innerTolerance) return "done";
        return undefined;
      },
    });
    rho = rhoAfter;
    if (status !== "done") return monitor.finish(z, status);
    cert = monitor.certify(z);
    if (monitor.recordCertificate(z, cert)) return monitor.finish(z, "converged");
    const interrupted: SolveStatus | undefined = monitor.interrupted();
    if (interrupted !== undefined) return monitor.finish(z, interrupted);
  }
}

function sameGroups(a: Int32Array, b: Int32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
