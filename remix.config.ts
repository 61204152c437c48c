// The Remix Vite plugin's options. Remix itself never reads this file (see docs/decisions/001);
// vite.config.ts imports it so the options live in the place people look for them.
import type { VitePluginConfig } from "@remix-run/dev";

export const remixConfig = {
  appDirectory: "app",
  buildDirectory: "build",
  ignoredRouteFiles: ["**/*.test.{ts,tsx}", "**/.*"],
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
    v3_singleFetch: true,
    v3_lazyRouteDiscovery: true,
  },
} satisfies VitePluginConfig;

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}
