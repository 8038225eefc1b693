import { abort } from "./checks/abort.js";
import { callerArrays } from "./checks/caller-arrays.js";
import { certificateHonesty } from "./checks/certificate-honesty.js";
import { groupWeights } from "./checks/group-weights.js";
import { knownOptima } from "./checks/known-optima.js";
import { l1 } from "./checks/l1.js";
import { lambdaMax } from "./checks/lambda-max.js";
import { matrixFree } from "./checks/matrix-free.js";
import { maxIterations } from "./checks/max-iterations.js";
import { meanScaling } from "./checks/mean-scaling.js";
import { nonFiniteInput } from "./checks/non-finite-input.js";
import { onIteration } from "./checks/on-iteration.js";
import { timeLimit } from "./checks/time-limit.js";
import { toleranceAgreement } from "./checks/tolerance-agreement.js";
import { unknownOption } from "./checks/unknown-option.js";
import { warmStart } from "./checks/warm-start.js";
import type { ConformanceCheckDefinition } from "./conformance-context.js";

/** The conformance checks in the order they run: one line per check, one file each. @internal */
export const CONFORMANCE_CHECK_TABLE: readonly ConformanceCheckDefinition[] = [
  knownOptima,
  lambdaMax,
  toleranceAgreement,
  groupWeights,
  l1,
  matrixFree,
  meanScaling,
  callerArrays,
  certificateHonesty,
  maxIterations,
  timeLimit,
  abort,
  nonFiniteInput,
  unknownOption,
  warmStart,
  onIteration,
];
