// Compiles server.ts into build/server.js. The app itself is in the Remix build; only the
// server's own code (and the demo GitHub stand-in) is bundled here, packages stay external.
import { build } from "esbuild";

await build({
  entryPoints: ["server.ts"],
  outfile: "build/server.js",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node24",
  packages: "external",
  logLevel: "warning",
});
