/**
 * `@convexformer/interpret/node`: files (Node only): writing figures, reading saved result folders.
 *
 * @packageDocumentation
 */
export { readSolutionFolder } from "./read-solution-folder.js";
export { type WrittenFigure, writeFigure } from "./write-figure.js";
