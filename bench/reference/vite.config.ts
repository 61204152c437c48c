// The reference for `npm run bench:ssr`: a minimal Remix app built by the repository's own
// @remix-run/dev and Vite with the app's future flags, so the only difference the benchmark
// measures is what the app does on top of the framework. Built by bench/ssr.ts into ./build.
import { vitePlugin as remix } from "@remix-run/dev";
import { defineConfig } from "vite";
import { remixConfig } from "../../remix.config.ts";

export default defineConfig({
  root: import.meta.dirname,
  plugins: [remix({ appDirectory: "app", buildDirectory: "build", future: remixConfig.future })],
  build: { target: "es2022", assetsInlineLimit: 0 },
  logLevel: "warn",
});
