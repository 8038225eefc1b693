import { createRequire } from "node:module";
import type { SoftwareVersions } from "../runners/experiment-result.js";

const PACKAGES = [
  "@convexformer/tensors",
  "@convexformer/solvers",
  "@convexformer/attention",
  "@convexformer/baselines",
  "@convexformer/experiments",
  "@tensorflow/tfjs",
] as const;

/**
 * The software a result was produced with: the Node version and the installed versions of
 * the Convexformer packages and tfjs (read from their `package.json`; missing ones are left out).
 *
 * @example
 * ```ts
 * import { softwareVersions } from "@convexformer/experiments/node";
 * softwareVersions().runtime; // e.g. "node v20.20.0"
 * ```
 */
export function softwareVersions(): SoftwareVersions {
  const require = createRequire(import.meta.url);
  const packages: Record<string, string> = {};
  for (const name of PACKAGES) {
    try {
      packages[name] = (require(`${name}/package.json`) as { version: string }).version;
    } catch {
      // not resolvable from here
    }
  }
  const tfjs = packages["@tensorflow/tfjs"];
  return { runtime: `node ${process.version}`, ...(tfjs === undefined ? {} : { tfjs }), packages };
}
