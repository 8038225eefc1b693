import { createRequire } from "node:module";

/**
 * Versions of the software a result was produced with.
 *
 * @example
 * ```ts
 * import type { SoftwareVersions } from "@convexformer/io/node";
 * const v: SoftwareVersions = { runtime: "node v20.20.0", tfjs: "4.22.0", packages: { "@convexformer/experiments": "0.1.0" } };
 * ```
 */
export interface SoftwareVersions {
  /** The JavaScript runtime (`node vX.Y.Z`, or `unknown`). */
  readonly runtime: string;
  /** tfjs, when the experiment used it. */
  readonly tfjs?: string;
  /** Package versions, when known ({@link softwareVersions} fills them). */
  readonly packages?: Readonly<Record<string, string>>;
}

const PACKAGES = [
  "@convexformer/tensors",
  "@convexformer/solvers",
  "@convexformer/attention",
  "@convexformer/io",
  "@convexformer/baselines",
  "@convexformer/experiments",
  "@tensorflow/tfjs",
] as const;

/**
 * The software a result was produced with: the Node version and the installed versions of
 * the Convexformer packages and tfjs (read from their `package.json`; missing ones are left out).
 * The packages are resolved from `from`, so a caller names the module whose dependencies count
 * (the experiments package resolves all of them).
 *
 * @param from - the module (a file URL or path) the packages are resolved from; default this
 *   module, which sees tensors, solvers, attention and io only
 * @example
 * ```ts
 * import { softwareVersions } from "@convexformer/io/node";
 * softwareVersions().runtime.startsWith("node v"); // true
 * softwareVersions(import.meta.url).packages; // those installed beside the caller
 * ```
 */
export function softwareVersions(from: string | URL = import.meta.url): SoftwareVersions {
  const require = createRequire(from);
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
