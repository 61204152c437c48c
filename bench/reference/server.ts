// Serves the reference build (./build) the way server.ts serves the app: Express, static assets,
// @remix-run/express's request handler in production mode. Nothing else, so that it measures the
// framework alone. Run by bench/ssr.ts as `node bench/reference/server.ts` (Node strips the types).
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import express from "express";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

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
app.listen(Number(process.env.PORT ?? 3341), "127.0.0.1");
