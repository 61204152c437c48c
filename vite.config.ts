import { vitePlugin as remix } from "@remix-run/dev";
import { defineConfig } from "vite";
import { remixConfig } from "./remix.config.ts";

export default defineConfig(({ command, mode }) => ({
  // Vitest runs the models and routes directly; the Remix plugin is only for builds and dev.
  plugins: mode === "test" ? [] : [remix(remixConfig)],
  build: { target: "es2022", assetsInlineLimit: 0 },
  // The production server build bundles these pure-JavaScript packages instead of importing them
  // from node_modules at start: Node reads and resolves each of their modules one by one (drizzle-orm
  // alone is 450 modules with a 179 KB package.json), and bundling lets Rollup leave out what the app
  // never imports (@react-email's code block, which built its Prism grammars at every start). zod and
  // Conform go together so that both use one copy of zod. markdown-it's own packages (entities,
  // linkify-it, mdurl, uc.micro, punycode.js), temporal-polyfill, @oslojs and croner were another 55
  // modules at every start. Dev and tests load them as they are.
  // Start to the first /healthz 200 fell by about a third (docs/performance.md, "Start-up").
  ssr:
    command === "build" && mode !== "test"
      ? {
          noExternal: [
            "drizzle-orm",
            /^@react-email\/(?!render)/,
            "arctic",
            "markdown-it",
            "zod",
            /^@conform-to\//,
            "diff",
            "temporal-polyfill",
            "temporal-utils",
            "entities",
            "linkify-it",
            "mdurl",
            "uc.micro",
            "punycode.js",
            /^@oslojs\//,
            "croner",
          ],
        }
      : undefined,
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
