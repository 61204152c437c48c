// Fills Node's compile cache with the modules `node build/server.js` compiles before it listens, so
// that a server started from the image reads V8's compiled code instead of parsing and compiling
// about 450 files again (the server build alone is 2.3 MB). Run by `npm run build` (into
// build/compile-cache, for the benchmarks) and by the Dockerfile as the user the app runs as: Node
// files the cache under the user id, so one made by root is not read by `node`.
// The server reads it when NODE_COMPILE_CACHE names the directory (set in the Dockerfile).
import module from "node:module";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

// The server runs in production: packages such as React load other files then.
process.env.NODE_ENV = "production";
const directory = process.env.NODE_COMPILE_CACHE || "build/compile-cache";
const { status, message } = module.enableCompileCache(directory);
if (
  status !== module.constants.compileCacheStatus.ENABLED &&
  status !== module.constants.compileCacheStatus.ALREADY_ENABLED
) {
  throw new Error(`compile cache not enabled in ${directory}: ${message ?? status}`);
}

// server.js's own imports (esbuild writes them at the top, one per line), the packages bundled
// with it (server-packages.js, see scripts/build-server.js), then the server build, which imports
// the app's packages. Importing evaluates the modules but starts nothing: the server build only
// defines the app; server.js, which boots it, is not imported.
const serverImports = [
  ...readFileSync("build/server.js", "utf8").matchAll(/^import\s[^;]*?["']([^"'.][^"']*)["'];?$/gm),
];
for (const [, specifier] of serverImports) await import(specifier);
await import(pathToFileURL(resolve("build/server-packages.js")).href);
await import(pathToFileURL(resolve("build/server/index.js")).href);

module.flushCompileCache();
console.log(`compile cache written to ${module.getCompileCacheDir()}`);
// Modules imported above may hold timers or handles; nothing else is left to do.
process.exit(0);
