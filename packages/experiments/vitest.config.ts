import { defineProject } from "vitest/config";

export default defineProject({
  resolve: { conditions: ["@convexformer/source"] },
  ssr: { resolve: { conditions: ["@convexformer/source"] } },
  test: {
    name: "experiments",
    include: ["src/**/*.test.ts"],
    testTimeout: 60_000,
  },
});
