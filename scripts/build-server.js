// Compiles server.ts into build/server.js. The app itself is in the Remix build; only the
// server's own code (and the demo GitHub stand-in) is bundled here, packages stay external.
// What server.ts imports only in demo mode goes to chunks of its own (build/server-chunks/): in
// one file, their packages (drizzle-orm, zod… about 220 files) were loaded at every start.
import { build } from "esbuild";
import { rmSync } from "node:fs";

// Chunk names carry a hash: without this, every build would leave the previous ones behind.
rmSync("build/server-chunks", { recursive: true, force: true });

await build({
  entryPoints: ["server.ts"],
  outdir: "build",
  entryNames: "server",
  chunkNames: "server-chunks/[name]-[hash]",
  splitting: true,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node24",
  packages: "external",
  logLevel: "warning",
});
