/**
 * `@convexformer/io`: Convexformer's data formats that need no file system (browser-safe):
 * text tokenization with a pad mask and token features from pretrained word vectors, the
 * token features of id sequences (embedding table plus positional encodings), the checkpoint
 * format of resumable training, and the usage errors every file reader throws. Everything
 * that touches files (data loaders, the model folder, the result folder, the checkpoint
 * stores, `.npy` inputs) is in `@convexformer/io/node`.
 *
 * @packageDocumentation
 */
export {
  type Checkpoint,
  type CheckpointStore,
  decodeCheckpoint,
  encodeCheckpoint,
  type JsonValue,
  memoryCheckpointStore,
} from "./checkpoint.js";
export { SetupInterruptedError } from "./setup-interrupted.js";
export { positionalEncoding } from "./text/positional-encoding.js";
export {
  type TextFeatures,
  type TextFeaturesOptions,
  type TextRecord,
  textFeatures,
} from "./text/text-features.js";
export type { TokenBlock } from "./text/token-block.js";
export { type TokenFeaturesOptions, tokenFeatures } from "./text/token-features.js";
export { splitWords, type TokenizedText, tokenize } from "./text/tokenize.js";
export type { WordEmbeddings } from "./text/word-embeddings.js";
export { UsageError } from "./usage-error.js";
