import { ConvexformerError } from "@convexformer/tensors";

/**
 * A bad command line or a bad input file (code `"usage"`): the CLI prints its one-line message
 * and exits 2. The file readers of `@convexformer/io/node` throw it naming the file (and the
 * option or field) in the message.
 *
 * @example
 * ```ts
 * import { UsageError } from "@convexformer/io";
 * import { ConvexformerError } from "@convexformer/tensors";
 * const error = new UsageError('problem.json: unknown kind "lasso"');
 * error.message; // 'problem.json: unknown kind "lasso"'
 * error.code; // "usage"
 * error instanceof ConvexformerError; // true
 * ```
 */
export class UsageError extends ConvexformerError {
  /**
   * @param message - one line naming the file or option and the problem
   * @param argument - the offending option, file or field, when the caller knows it
   */
  constructor(message: string, argument?: string) {
    super("usage", message, argument);
    this.name = "UsageError";
  }
}
