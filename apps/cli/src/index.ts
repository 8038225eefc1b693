/**
 * `convexformer`: the command line of Convexformer. The binary is `convexformer`; this entry
 * point exports the command tree for embedding and testing.
 *
 * @packageDocumentation
 */
export { cliVersion, createProgram } from "./program.js";
