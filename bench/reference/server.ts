// Serves the reference build (./build) the way server.ts serves the app: Express, static assets,
// @remix-run/express's request handler in production mode. Nothing else, so that it measures the
// framework alone. Run by bench/ssr.ts as `node bench/reference/server.ts` (Node strips the types).
// WEB_CONCURRENCY > 1 runs it as the app runs then (server-workers.ts): a primary that serves
// nothing and that many workers sharing the port through node:cluster. Each process prints
// "listening" once it listens, for bench/ssr.ts to know when all of them are ready.
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import express from "express";
import cluster from "node:cluster";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

const processes = Number(process.env.WEB_CONCURRENCY ?? 1);

if (processes > 1 && cluster.isPrimary) {
  for (let i = 0; i < processes; i++) cluster.fork();
  process.on("SIGTERM", () => {
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill("SIGTERM");
  });
  cluster.on("exit", () => {
    if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
  });
} else {
  const buildDirectory = resolve(import.meta.dirname, "build");
  const build = (await import(pathToFileURL(resolve(buildDirectory, "server/index.js")).href)) as ServerBuild;

  const app = express();
  app.disable("x-powered-by");
  app.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  app.use(
    "/assets",
    express.static(resolve(buildDirectory, "client/assets"), { immutable: true, maxAge: "1y", index: false }),
  );
  app.use(express.static(resolve(buildDirectory, "client"), { maxAge: "1h", index: false }));
  app.all("*", createRequestHandler({ build, mode: "production" }));
  app.listen(Number(process.env.PORT ?? 3341), "127.0.0.1", () => console.log("listening"));
}
