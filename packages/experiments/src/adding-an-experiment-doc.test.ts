/**
 * `docs/adding-an-experiment.md` works as written (the shared check of the contributor guides,
 * scripts/check-doc-guide.ts): its blocks type-check (the `@ts-expect-error` lines must be
 * errors), lint and run, and the guide's own tests register here.
 */
import { checkDocGuide } from "../../../scripts/check-doc-guide.js";

await checkDocGuide({
  doc: "docs/adding-an-experiment.md",
  packageDir: "packages/experiments",
  files: ["mean-experiment.test.ts", "mean-experiment.ts", "register.ts"],
  testFile: "mean-experiment.test.ts",
});
