import { defineConfig } from "vitest/config";

/**
 * One vitest project per package (each package has its own `vitest.config.ts`);
 * `pnpm test` runs them all, `pnpm vitest --project tensors` runs one.
 */
export default defineConfig({
  test: {
    projects: ["packages/*", "apps/*"],
    coverage: {
      provider: "v8",
      include: ["packages/*/src/**/*.ts", "apps/*/src/**/*.ts"],
      exclude: ["**/*.test.ts", "**/testing/**"],
      reporter: ["text-summary", "json-summary"],
    },
  },
});
