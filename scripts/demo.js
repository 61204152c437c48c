// `npm run demo`: build when the sources are newer than the build, then serve the production
// build in demo mode (stand-in GitHub sign-in, local outbox, demo data) on 127.0.0.1.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const SOURCES = [
  "app",
  "db",
  "emails",
  "public",
  "tests/fakes",
  "server.ts",
  "vite.config.ts",
  "remix.config.ts",
  "package.json",
];
const BUILT = "build/server.js";

function newest(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((max, name) => Math.max(max, newest(join(path, name))), stat.mtimeMs);
}

const builtAt = existsSync(BUILT) && existsSync("build/server/index.js") ? statSync(BUILT).mtimeMs : 0;
if (Math.max(...SOURCES.map(newest)) > builtAt) {
  console.log("Building Roadies...");
  const result = spawnSync("npm", ["run", "build", "--silent"], { stdio: "inherit" });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const port = process.env.PORT ?? "3000";
console.log("Starting the Roadies demo...");
// The server prints the address, who to sign in as and where the outbox is once it listens
// (server.ts), and records the address for the commands (app/utils/env.server.ts). Its JSON logs
// show warnings and errors only, unless LOG_LEVEL asks for more (LOG_LEVEL=info: every request).
const server = spawn(process.execPath, [BUILT], {
  stdio: "inherit",
  env: {
    ...process.env,
    NODE_ENV: "production",
    DEMO_MODE: "true",
    PORT: port,
    LOG_LEVEL: process.env.LOG_LEVEL || "warn",
  },
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code) => process.exit(code ?? 0));
