// The one place that names the tensors-package features still being written elsewhere.
export { createRng, Rng } from "./rng-shim.js";
export { initTfjs } from "./tfjs-loader-shim.js";
