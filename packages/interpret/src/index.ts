/**
 * `@convexformer/interpret`: what a convex-attention model attends to, as numbers and as
 * pictures. Token maps `‖z_k‖` of the convex programs (9), (12), (14) and the row/column mass
 * of (33); recovered-head tables, support against the Carathéodory bound and heads needed;
 * softmax attention maps of (3), simplex maps of (4)/(8)/(30) and the decoder's simplex mixing;
 * sparsity measures (entropy, top-k mass, effective tokens, Gini); λ-path summaries; SVG figures
 * rendered with vega-lite in Node and in a browser (each with the JSON of what it plots); and
 * terminal plots that fit 80 columns. Plain arrays in, no tfjs, no `node:` imports (file
 * output is in `@convexformer/interpret/node`).
 *
 * @packageDocumentation
 */

export { type ConvergenceRun, convergenceFigure } from "./convergence-figure.js";
export {
  type ConvexSolution,
  convexSolutionOf,
  type SequenceProgramSolution,
  type TokenProgramSolution,
  validateSolution,
} from "./convex-solution.js";
export {
  type DecoderLayerMixing,
  decoderSimplexMixing,
  type NamedArray,
} from "./decoder-simplex-mixing.js";
export {
  type Figure,
  type FigureDatum,
  type FigureKind,
  figureJson,
  renderSpec,
  type VegaLiteSpec,
} from "./figure.js";
export { type AccuracyCurve, type AccuracyPoint, grokkingFigure } from "./grokking-figure.js";
export { type HeadRow, headTable } from "./head-table.js";
export { headTableOf } from "./head-table-of.js";
export { type HeatmapInput, heatmapFigure } from "./heatmap-figure.js";
export { type ComparisonPanel, modelComparisonFigure } from "./model-comparison-figure.js";
export {
  type PathPoint,
  type PathSummaryOptions,
  pathSummary,
  pathSummaryOf,
} from "./path-summary.js";
export { type SequenceHeadRow, sequenceHeadTable } from "./sequence-head-table.js";
export { type SequenceTokenMap, sequenceTokenMap } from "./sequence-token-map.js";
export { headTokenWeights, type SimplexMaps, simplexMaps } from "./simplex-maps.js";
export { type SoftmaxAttentionMaps, softmaxAttentionMaps } from "./softmax-attention-maps.js";
export { softmaxAttentionSparsity } from "./softmax-attention-sparsity.js";
export {
  type MapSparsity,
  mapSparsity,
  type RowSparsity,
  rowSparsity,
  type SparsityOptions,
  type SparsitySummary,
  sparsityOf,
} from "./sparsity.js";
export { sparsityPathFigure } from "./sparsity-path-figure.js";
export { type SupportReport, supportReport } from "./support-report.js";
export { type TerminalHeatmapOptions, terminalHeatmap } from "./terminal-heatmap.js";
export { type TerminalLinesOptions, type TerminalSeries, terminalLines } from "./terminal-lines.js";
export { type TokenMap, tokenMap } from "./token-map.js";
export { tokenMapFigure } from "./token-map-figure.js";
export { tokenMapOf } from "./token-map-of.js";
