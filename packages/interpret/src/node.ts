/**
 * `@convexformer/interpret/node`: files (Node only): writing figures.
 *
 * @packageDocumentation
 */
export { type WrittenFigure, writeFigure } from "./write-figure.js";
