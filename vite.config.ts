import { vitePlugin as remix } from "@remix-run/dev";
import { defineConfig } from "vite";
import { remixConfig } from "./remix.config.ts";

export default defineConfig(({ mode }) => ({
  // Vitest runs the models and routes directly; the Remix plugin is only for builds and dev.
  plugins: mode === "test" ? [] : [remix(remixConfig)],
  build: { target: "es2022", assetsInlineLimit: 0 },
  server: { host: "127.0.0.1" },
  test: {
    include: ["tests/unit/**/*.test.{ts,tsx}", "tests/integration/**/*.test.{ts,tsx}", "tests/security/**/*.test.ts"],
    globalSetup: ["tests/setup/global.ts", "tests/setup/logs.ts"],
    setupFiles: ["tests/setup/worker.ts"],
    pool: "forks",
    maxWorkers: 2,
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
}));
