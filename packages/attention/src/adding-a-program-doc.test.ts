/**
 * `docs/adding-a-program.md` works as written (the shared check of the contributor guides,
 * scripts/check-doc-guide.ts): its blocks type-check, lint and run, the entry's TSDoc example
 * runs, and the guide's own tests register here.
 */
import { checkDocGuide } from "../../../scripts/check-doc-guide.js";

await checkDocGuide({
  doc: "docs/adding-a-program.md",
  packageDir: "packages/attention",
  files: ["register.ts", "scalar-l1-program.test.ts", "scalar-l1-program.ts"],
  example: { file: "scalar-l1-program.ts", exportName: "scalarL1Program" },
  testFile: "scalar-l1-program.test.ts",
});
