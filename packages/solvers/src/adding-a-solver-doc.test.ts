/**
 * `docs/adding-a-solver.md` works as written (the shared check of the contributor guides,
 * scripts/check-doc-guide.ts): its blocks type-check, lint and run, the solver's TSDoc example
 * runs, and the guide's own tests (the conformance kit among them) register here.
 */
import { checkDocGuide } from "../../../scripts/check-doc-guide.js";

await checkDocGuide({
  doc: "docs/adding-a-solver.md",
  packageDir: "packages/solvers",
  files: ["prox-gradient.test.ts", "prox-gradient.ts", "register.ts"],
  example: { file: "prox-gradient.ts", exportName: "proxGradient" },
  testFile: "prox-gradient.test.ts",
});
