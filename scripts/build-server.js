// Compiles server.ts into build/server.js. The app itself is in the Remix build; only the
// server's own code (and the demo GitHub stand-in) is bundled here, with Express and compression:
// Node otherwise resolves and reads their 150 or so small CommonJS modules (qs and its helpers,
// a copy of debug per package…) one by one at every start. Every other package stays external:
// @remix-run/* must be the one copy the server build also imports, and iconv-lite (one copy in
// node_modules, required from build/ at run time) loads its encoding tables lazily, file by file.
// What server.ts imports only in demo mode goes to chunks of its own (build/server-chunks/): in
// one file, their packages (drizzle-orm, zod… about 220 files) were loaded at every start.
import { build } from "esbuild";
import { rmSync } from "node:fs";

/** Packages server.ts imports that are bundled, with everything they require. */
const BUNDLED = new Set(["express", "compression"]);
const UNBUNDLED_DEPENDENCIES = new Set(["iconv-lite"]);

const packageName = (specifier) => specifier.split("/", specifier.startsWith("@") ? 2 : 1).join("/");

// Chunk names carry a hash: without this, every build would leave the previous ones behind.
rmSync("build/server-chunks", { recursive: true, force: true });

await build({
  // server-packages.js holds the bundled packages alone (in a chunk server.js imports), so that
  // scripts/compile-cache.js can import them without starting the server.
  entryPoints: { server: "server.ts", "server-packages": "server-packages" },
  outdir: "build",
  chunkNames: "server-chunks/[name]-[hash]",
  splitting: true,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node24",
  // The bundled packages are CommonJS: their require() of Node's modules needs a require here.
  banner: {
    js: 'import { createRequire as __createRequire } from "node:module";\nconst require = __createRequire(import.meta.url);',
  },
  plugins: [
    {
      name: "bundle-express",
      setup(build) {
        build.onResolve({ filter: /^server-packages$/ }, () => ({ path: "server-packages", namespace: "bundled" }));
        build.onLoad({ filter: /.*/, namespace: "bundled" }, () => ({
          contents: [...BUNDLED].map((name) => `import ${JSON.stringify(name)};`).join("\n"),
          resolveDir: process.cwd(),
        }));
        build.onResolve({ filter: /^[^./]/ }, ({ path, importer }) => {
          const name = packageName(path);
          const bundled = importer.includes("/node_modules/")
            ? !path.startsWith("node:") && !UNBUNDLED_DEPENDENCIES.has(name)
            : BUNDLED.has(name);
          return bundled ? undefined : { external: true };
        });
      },
    },
  ],
  logLevel: "warning",
});
