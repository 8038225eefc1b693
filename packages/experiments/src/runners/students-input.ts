import type { LossName } from "@convexformer/attention";
import type { TokenBatch } from "@convexformer/tensors";

/** What a student comparison (`compareStudents`) needs: the data, the loss and the settings of E1. */
export interface StudentsInput {
  readonly train: { readonly X: TokenBatch; readonly targets: Float64Array | Int32Array };
  readonly test: { readonly X: TokenBatch; readonly targets: Float64Array | Int32Array };
  readonly loss: LossName;
  readonly outputs: number;
  readonly program: "scalar" | "vector";
  readonly seed: number;
  readonly beta: number | undefined;
  readonly lambdaRatio: number | undefined;
  readonly solvers: readonly string[];
  readonly tolerance: number;
  readonly steps: number;
  readonly evaluateEvery: number;
  readonly learningRates: readonly number[];
  readonly standardHeads: number;
  readonly simplexHeads: number;
  /** Identifies the configuration in checkpoints. */
  readonly configKey: string;
}
