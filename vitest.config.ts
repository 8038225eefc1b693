import { defineConfig } from "vitest/config";

/**
 * One vitest project per package (each package has its own `vitest.config.ts`);
 * `pnpm test` runs them all, `pnpm vitest run --project tensors` runs one.
 * In CI a JSON report is written to `test-results.json` for the closing summary line.
 */
export default defineConfig({
  test: {
    projects: ["packages/*/vitest.config.ts", "apps/*/vitest.config.ts"],
    reporters: process.env.CI
      ? ["default", ["json", { outputFile: "test-results.json" }]]
      : ["default"],
    coverage: {
      provider: "v8",
      include: ["packages/*/src/**/*.ts", "apps/*/src/**/*.ts"],
      exclude: ["**/*.test.ts"],
      reporter: ["text-summary", "json-summary"],
    },
  },
});
