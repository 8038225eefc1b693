/**
 * `@convexformer/interpret/node`: files (Node only): writing figures, reading saved result folders.
 *
 * @packageDocumentation
 */
export { type WrittenFigure, writeFigure } from "./write-figure.js";
