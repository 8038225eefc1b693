#!/usr/bin/env node
// Scaffolds a workspace package with the project's conventions:
//   node scripts/new-package.mjs <folder> <npm-name> "<description>" [dep ...]
// It writes package.json, tsconfig.json, tsconfig.test.json, vitest.config.ts and src/index.ts
// only where they do not exist yet.
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";

const [folder, name, description, ...deps] = process.argv.slice(2);
if (!folder || !name || !description) {
  console.error(
    'usage: node scripts/new-package.mjs <folder> <npm-name> "<description>" [dep ...]',
  );
  process.exit(2);
}
const short = basename(folder);
const depth = folder.split("/").filter(Boolean).length;
const up = "../".repeat(depth);
mkdirSync(join(folder, "src"), { recursive: true });

function write(file, content) {
  const path = join(folder, file);
  if (!existsSync(path)) writeFileSync(path, `${content}\n`);
}

write(
  "package.json",
  JSON.stringify(
    {
      name,
      version: "0.1.0",
      description,
      license: "MIT",
      repository: {
        type: "git",
        url: "git+https://github.com/convexformer/convexformer.git",
        directory: folder.replace(/\/+$/, ""),
      },
      homepage: `https://github.com/convexformer/convexformer/tree/main/${folder.replace(/\/+$/, "")}#readme`,
      bugs: { url: "https://github.com/convexformer/convexformer/issues" },
      type: "module",
      sideEffects: false,
      engines: { node: ">=20.19.0" },
      exports: {
        ".": {
          "@convexformer/source": "./src/index.ts",
          types: "./dist/index.d.ts",
          import: "./dist/index.js",
        },
        "./package.json": "./package.json",
      },
      main: "./dist/index.js",
      types: "./dist/index.d.ts",
      files: ["dist", "src", "!src/**/*.test.ts"],
      scripts: { build: "tsc -b tsconfig.json" },
      dependencies: Object.fromEntries(deps.map((d) => [d, "workspace:^"])),
    },
    null,
    2,
  ),
);
write(
  "tsconfig.json",
  JSON.stringify(
    {
      extends: `${up}tsconfig.base.json`,
      compilerOptions: { rootDir: "src", outDir: "dist", tsBuildInfoFile: "dist/.tsbuildinfo" },
      include: ["src/**/*.ts"],
      exclude: ["src/**/*.test.ts"],
      references: deps.map((d) => ({ path: `${up}packages/${d.split("/")[1]}` })),
    },
    null,
    2,
  ),
);
write(
  "tsconfig.test.json",
  JSON.stringify(
    {
      extends: `${up}tsconfig.base.json`,
      compilerOptions: {
        composite: false,
        noEmit: true,
        tsBuildInfoFile: `${up}node_modules/.cache/tsc/${short}-test.tsbuildinfo`,
      },
      include: ["src/**/*.test.ts", "bench/**/*.ts", "vitest.config.ts"],
      references: [{ path: "./tsconfig.json" }],
    },
    null,
    2,
  ),
);
write(
  "vitest.config.ts",
  `import { defineProject } from "vitest/config";

export default defineProject({
  resolve: { conditions: ["@convexformer/source"] },
  ssr: { resolve: { conditions: ["@convexformer/source"] } },
  test: {
    name: "${short}",
    include: ["src/**/*.test.ts"],
    testTimeout: 60_000,
  },
});`,
);
console.log(`scaffolded ${name} in ${folder}`);
