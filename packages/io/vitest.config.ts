import { defineProject } from "vitest/config";

export default defineProject({
  resolve: { conditions: ["@convexformer/source"] },
  ssr: { resolve: { conditions: ["@convexformer/source"] } },
  test: {
    name: "io",
    include: ["src/**/*.test.ts"],
    testTimeout: 60_000,
  },
});
