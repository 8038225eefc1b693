/**
 * `@convexformer/interpret/node`: writing figures to disk (Node only).
 *
 * @packageDocumentation
 */
export { type WrittenFigure, writeFigure } from "./write-figure.js";
