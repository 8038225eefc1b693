import * as b from "@convexformer/baselines";
export const x: object = b;
