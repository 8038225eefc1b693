/**
 * A bad command line or a bad input file: the CLI prints its one-line message and exits 2.
 *
 * @example
 * ```ts
 * import { UsageError } from "convexformer";
 * const error = new UsageError('problem.json: unknown kind "lasso"');
 * error.message; // 'problem.json: unknown kind "lasso"'
 * error instanceof Error; // true
 * ```
 */
export class UsageError extends Error {
  /**
   * @param message - one line naming the file or option and the problem
   */
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}
