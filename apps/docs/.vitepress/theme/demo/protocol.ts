import type { DemoConfig } from "./student-teacher.js";

/** Page → worker. */
export type DemoRequest =
  | {
      readonly type: "solve";
      readonly id: number;
      readonly config: DemoConfig;
      /** `λ / λ_max`, in (0, 1]. */
      readonly lambdaRatio: number;
      readonly tolerance: number;
    }
  | { readonly type: "stop"; readonly id: number };

/** One progress point: the certificate of the current iterate. */
export interface DemoProgress {
  readonly iteration: number;
  readonly objective: number;
  readonly relativeGap: number;
  readonly elapsedMs: number;
}

/** Worker → page. */
export type DemoMessage =
  | ({ readonly type: "progress"; readonly id: number } & DemoProgress)
  | {
      readonly type: "done";
      readonly id: number;
      readonly status: "converged" | "aborted" | "max-iterations";
      readonly lambda: number;
      readonly lambdaMax: number;
      readonly objective: number;
      readonly relativeGap: number;
      readonly kktResidual: number;
      readonly iterations: number;
      readonly elapsedMs: number;
      /** `‖z_k‖₂` per token. */
      readonly perToken: number[];
      /** The token map, an SVG drawn by `@convexformer/interpret`. */
      readonly tokenMapSvg: string;
      /** Objective and relative gap vs iterations and time, an SVG drawn by `@convexformer/interpret`. */
      readonly convergenceSvg: string;
      readonly headsNeeded: number;
      readonly history: DemoProgress[];
    }
  | { readonly type: "error"; readonly id: number; readonly message: string };
