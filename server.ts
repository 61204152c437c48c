// The HTTP server: security headers, cross-site and size checks, rate limits, request logs,
// static assets and the Remix handler. The app's own services come from the server build.
import { createRequestHandler } from "@remix-run/express";
import type { AppLoadContext, ServerBuild } from "@remix-run/node";
import compression from "compression";
import express, { type NextFunction, type Request, type Response } from "express";
import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { readdirSync } from "node:fs";
import { join, relative, resolve, sep } from "node:path";
import { pathToFileURL } from "node:url";
import type * as Runtime from "./app/runtime.server.ts";
import { JOBS_SLOT, superviseWorkers, workerSlot } from "./server-workers.ts";

type Build = ServerBuild & { entry: { module: { runtime: typeof Runtime } } };

// node:http taken as a CommonJS module: importing it as ESM reads every export, and three of them
// (WebSocket, CloseEvent, MessageEvent) load Node's bundled fetch client, about 40 ms of each start.
const { createServer } = process.getBuiltinModule("node:http");

const startedAt = Date.now();
const development = process.env.NODE_ENV !== "production";
const MAX_BODY_BYTES = 1024 * 1024;
/** Pages rendered at once; see the render queue below. */
const RENDERS_AT_ONCE = 4;

const viteDevServer = development
  ? await import("vite").then((vite) => vite.createServer({ server: { middlewareMode: true } }))
  : undefined;

const productionBuild = viteDevServer
  ? undefined
  : ((await import(pathToFileURL(resolve("build/server/index.js")).href)) as Build);

async function loadBuild(): Promise<Build> {
  if (productionBuild) return productionBuild;
  return (await viteDevServer!.ssrLoadModule("virtual:remix/server-build")) as Build;
}

const runtime = (await loadBuild()).entry.module.runtime;
const { log, errorFields } = runtime;

// With WEB_CONCURRENCY > 1 this file runs as the primary (slot undefined), then in each worker.
const slot = workerSlot();
let env: Runtime.Env;
try {
  env = await runtime.boot(slot === undefined ? undefined : { jobs: slot === JOBS_SLOT });
} catch (error) {
  if (error instanceof runtime.EnvError) {
    for (const problem of error.problems) process.stderr.write(`config error: ${problem}\n`);
  } else {
    process.stderr.write(`start-up failed: ${error instanceof Error ? error.message : String(error)}\n`);
  }
  process.exit(1);
}

// Several processes: the start-up that must happen once (migrations, reference data) is done; the
// primary serves nothing, it keeps the workers running until it is told to stop (server-workers.ts).
if (slot === undefined && env.webConcurrency > 1) {
  await runtime.shutdown();
  log.info("starting workers", { workers: env.webConcurrency, startMs: Date.now() - startedAt });
  await superviseWorkers(env.webConcurrency, log);
  log.info("stopped");
  process.exit(0);
}

const appOrigin = new URL(env.appUrl).origin;
const rules = {
  signIn: {
    name: "sign-in",
    limit: env.rateLimits.signInPerMinute,
    windowMs: 60_000,
  },
  write: {
    name: "write",
    limit: env.rateLimits.writesPerMinute,
    windowMs: 60_000,
  },
} satisfies Record<string, Runtime.RateRule>;

const app = express();
app.disable("x-powered-by");

// One log line per request (app/utils/log.server.ts): method, path without its query
// (queries can hold OAuth codes), status, duration and the request id, sent back as X-Request-Id and
// carried by every line logged while the request is handled.
const requestLog = runtime.requestLogger();
app.use((req, res, next) => {
  requestLog(req, res, () => {
    const requestId = String(req.id);
    res.locals.requestId = requestId;
    runtime.withRequestId(requestId, next);
  });
});

// Any successful write retires the cached public pages (see the page cache below).
app.use((req, res, next) => {
  if (isSafeMethod(req.method)) return next();
  res.on("finish", () => {
    if (res.statusCode < 400) {
      runtime.bumpPublicContent().catch((error: unknown) => log.error("cache bump failed", errorFields(error)));
    }
  });
  next();
});

// Security headers on every response, with a fresh CSP nonce per request. The policy around the
// nonce is the same for every request: built once.
const NONCE = "{nonce}";
const [cspBeforeNonce, cspAfterNonce] = [
  "default-src 'self'",
  `script-src 'nonce-${NONCE}' 'strict-dynamic'${development ? " 'unsafe-eval'" : ""}`,
  `style-src 'self'${development ? " 'unsafe-inline'" : ""}`,
  "img-src 'self' data: https://avatars.githubusercontent.com",
  "font-src 'self'",
  `connect-src 'self'${development ? " ws://127.0.0.1:* ws://localhost:*" : ""}`,
  // Sign-in posts to us and we redirect to GitHub; browsers apply form-action to that redirect.
  `form-action 'self' ${new URL(env.github.oauthUrl).origin}`,
  "frame-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  ...(env.production ? ["upgrade-insecure-requests"] : []),
]
  .join("; ")
  .split(NONCE) as [string, string];

// 16 random bytes per nonce, drawn from the system's generator 256 nonces at a time (one call per
// request was about 2% of the CPU of a cached page).
let nonceBytes = Buffer.alloc(0);
let nonceAt = 0;
function cspNonce(): string {
  if (nonceAt >= nonceBytes.length) {
    nonceBytes = randomBytes(16 * 256);
    nonceAt = 0;
  }
  nonceAt += 16;
  return nonceBytes.toString("base64", nonceAt - 16, nonceAt);
}

/** The security headers besides the CSP, as a flat list of names and values (as `writeHead` takes them). */
const SECURITY_HEADERS = [
  ...["X-Content-Type-Options", "nosniff"],
  ...["Referrer-Policy", "strict-origin-when-cross-origin"],
  ...["Cross-Origin-Opener-Policy", "same-origin"],
  ...["Permissions-Policy", "camera=(), microphone=(), geolocation=()"],
  ...(env.production ? ["Strict-Transport-Security", "max-age=63072000; includeSubDomains"] : []),
];

/** Sets the security headers for a response to `path`; returns its CSP nonce. */
function setSecurityHeaders(res: ServerResponse, path: string): string {
  const nonce = cspNonce();
  // The demo outbox shows emails as a mail client would: their inline styles, never scripts.
  const mailPreview = env.demo && /^\/dev\/outbox\/\d+\/html$/.test(path);
  res.setHeader(
    "Content-Security-Policy",
    mailPreview
      ? "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'"
      : cspBeforeNonce + nonce + cspAfterNonce,
  );
  for (let i = 0; i < SECURITY_HEADERS.length; i += 2) res.setHeader(SECURITY_HEADERS[i]!, SECURITY_HEADERS[i + 1]!);
  return nonce;
}

app.use((req, res, next) => {
  res.locals.cspNonce = setSecurityHeaders(res, req.path);
  next();
});

// Token-authenticated: webhooks (signatures), internal jobs (bearer token), and one-click unsubscribe
// (signed token; RFC 8058 POSTs come from mail providers with no Origin of ours).
const exemptFromOriginCheck = (path: string) =>
  path.startsWith("/webhooks/") || path.startsWith("/internal/") || /^\/unsubscribe\/[^/]+\/one-click$/.test(path);
const isSafeMethod = (method: string) => method === "GET" || method === "HEAD" || method === "OPTIONS";

function sendError(res: Response, status: number, message: string) {
  res.status(status).type("text/plain; charset=utf-8").send(message);
}

// Malformed requests are answered here with a 4xx, before they can become a 500 deeper down:
// methods no route of ours takes (TRACE, PUT, PROPFIND…) and paths that are not valid percent-encoded
// UTF-8 (`/calls/%C0%AF`: Express and Remix decode path parameters and would throw a URIError).
const ALLOWED_METHODS = "GET, HEAD, POST, OPTIONS";
const allowedMethods = new Set(ALLOWED_METHODS.split(", "));
app.use((req, res, next) => {
  if (!allowedMethods.has(req.method)) {
    res.setHeader("Allow", ALLOWED_METHODS);
    return sendError(res, 405, "Method not allowed.");
  }
  if (req.method === "OPTIONS") {
    res.setHeader("Allow", ALLOWED_METHODS);
    return res.status(204).end();
  }
  try {
    decodeURIComponent(req.path);
  } catch {
    return sendError(res, 400, "Bad request: the address is not valid.");
  }
  next();
});

// The demo answers on APP_URL's host only: someone who opens http://localhost:3000 instead of
// 127.0.0.1 is sent there, rather than meeting the cross-site refusal below on their first form post.
const appHost = new URL(env.appUrl).host;
const demoHostToRedirect = (req: IncomingMessage) =>
  env.demo && req.headers.host !== appHost && isSafeMethod(req.method ?? "");
if (env.demo) {
  app.use((req, res, next) => {
    if (!demoHostToRedirect(req)) return next();
    res.redirect(302, appOrigin + req.originalUrl);
  });
}

// Cross-site requests that change state are refused, whatever cookies they carry.
app.use((req, res, next) => {
  if (isSafeMethod(req.method) || exemptFromOriginCheck(req.path)) return next();
  const origin = req.get("origin");
  const site = req.get("sec-fetch-site");
  // Our origin is APP_URL's, never the Host header: a client (or a proxy passing a forged Host)
  // chooses the Host header, so matching it would let any origin vouch for itself.
  if (origin ? origin !== appOrigin : site !== undefined && site !== "same-origin" && site !== "none") {
    return sendError(res, 403, "Cross-site request refused.");
  }
  next();
});

// Bodies: at most 1 MB, and their size must be declared up front.
app.use((req, res, next) => {
  if (isSafeMethod(req.method)) return next();
  const declared = req.get("content-length");
  if (declared === undefined && req.get("transfer-encoding")) {
    return sendError(res, 411, "Length required.");
  }
  if (Number(declared ?? 0) > MAX_BODY_BYTES) {
    // Discard what the client sends, then answer: closing mid-upload would show it a reset, not
    // the 413. Past a few megabytes we stop listening and drop the connection.
    let discarded = 0;
    req.on("data", (chunk: Buffer) => {
      discarded += chunk.length;
      if (discarded > 8 * MAX_BODY_BYTES) req.socket.destroy();
    });
    req.on("end", () => sendError(res, 413, "Request body too large."));
    return;
  }
  next();
});

function clientIp(req: Request): string {
  const flyIp = env.behindFly ? req.get("fly-client-ip") : undefined;
  return flyIp ?? req.socket.remoteAddress ?? "unknown";
}

// Sign-in and every write are rate limited per client address.
app.use(async (req: Request, res: Response, next: NextFunction) => {
  const signingIn = req.path === "/auth/github" || req.path === "/auth/github/callback";
  const rule = signingIn ? rules.signIn : isSafeMethod(req.method) ? undefined : rules.write;
  if (!rule) return next();
  try {
    const result = await runtime.hitRateLimit(rule, clientIp(req));
    res.setHeader("RateLimit-Limit", String(rule.limit));
    res.setHeader("RateLimit-Remaining", String(result.remaining));
    if (!result.allowed) {
      res.setHeader("Retry-After", String(result.retryAfterSeconds));
      return sendError(res, 429, `Too many requests. Try again in ${result.retryAfterSeconds} seconds.`);
    }
    next();
  } catch (error) {
    // A locked database must not turn the counter into the answer: the request goes on, and if it
    // writes, Remix answers the 503 itself, in the form the page understands (an HTML page here
    // would break a JavaScript form post). The lock lasts seconds, so the limit barely loosens.
    if (runtime.isDatabaseBusy(error)) {
      log.warn("rate limit not counted: database busy", { path: req.path });
      return next();
    }
    next(error);
  }
});

app.get("/healthz", async (_req, res) => {
  const up = await runtime.databaseIsUp();
  res.setHeader("Cache-Control", "no-store");
  res.status(up ? 200 : 503).json({ status: up ? "ok" : "unavailable" });
});

if (env.demo) {
  const { createGitHubStandIn } = await import("./tests/fakes/github.ts");
  const { demoPeople } = await import("./db/demo-people.ts");
  const { demoRepos } = await import("./db/demo/calls.ts");
  // [experience] each demo person's role and what to try, and a sandbox package for a typed login.
  const { demoPersonas, demoSandboxFor, NEW_LOGIN_HINT } = await import("./db/demo/personas.ts");
  const personas = new Map(demoPersonas().map((p) => [p.login, p]));
  const standIn = createGitHubStandIn({
    identities: demoPeople.map((p) => {
      const persona = personas.get(p.login);
      return {
        id: p.githubId,
        login: p.login,
        name: p.name,
        createdAt: p.githubCreatedAt,
        emails: [{ email: p.email, primary: true, verified: true }],
        signInNote: persona ? `${persona.roles.join(" · ")}. Try: ${persona.tryThis}` : undefined,
      };
    }),
    // [calls] demo packages' repositories, with admin for their demo maintainers.
    repos: demoRepos(),
    newLoginHint: NEW_LOGIN_HINT,
    onNewIdentity(identity) {
      const sandbox = demoSandboxFor(identity.login);
      const [owner, name] = sandbox.repository.split("/") as [string, string];
      standIn.setRepo({
        owner,
        name,
        description: `${identity.login}'s own package, to try adding a package in the demo.`,
        permissions: { [identity.login.toLowerCase()]: "admin" },
      });
      pypiStandIn.setProject({
        name: sandbox.pypiName,
        requiresPython: ">=3.10",
        classifiers: ["Framework :: Django", "Framework :: Django :: 5.2"],
        license: "MIT License",
        projectUrls: { Source: `https://github.com/${sandbox.repository}` },
        releases: [{ version: "0.1.0", uploadedOn: new Date().toISOString().slice(0, 10) }],
      });
    },
  });
  app.use("/_demo/github", standIn.handler);
  // [ecosystem] PyPI's JSON API for the demo packages, and their repositories on the GitHub stand-in.
  const { createPyPIStandIn, demoPyPIProjects, demoGitHubRepos } = await import("./tests/fakes/pypi.ts");
  // Described here, granted by demoRepos(): keep the demo maintainers' (and the demo successor's) roles.
  const grants = new Map(demoRepos().map((r) => [`${r.owner}/${r.name}`.toLowerCase(), r.permissions]));
  for (const repo of demoGitHubRepos()) {
    const granted = grants.get(`${repo.owner}/${repo.name}`.toLowerCase());
    standIn.setRepo({ ...repo, permissions: { ...granted, ...repo.permissions } });
  }
  const pypiStandIn = createPyPIStandIn(demoPyPIProjects());
  app.use("/_demo/pypi", pypiStandIn.handler);
  // [directory] pypistats.org's downloads over 30 days for the demo packages.
  const { createPyPIStatsStandIn, demoDownloads } = await import("./tests/fakes/pypistats.ts");
  app.use("/_demo/pypistats", createPyPIStatsStandIn(demoDownloads()).handler);
}

// Anonymous visitors get pages from the micro-cache (app/utils/page-cache.server.ts); any write bumps
// the public-content generation, which retires every cached page on every instance. Only a complete
// GET 200 that may be shared is stored; HEAD is answered from a stored GET or by the app, never stored.
const pageCache = new runtime.PageCache();
const SESSION_COOKIE = /(^|;\s*)(__Host-)?roadies_session=/;
/** Per response, not per page: each request gets its own (the CSP carries this request's nonce). */
const UNCACHED_HEADERS = new Set([
  "content-encoding",
  "content-length",
  "content-security-policy",
  "transfer-encoding",
  "connection",
  "keep-alive",
  "date",
  "etag",
  "vary",
  "set-cookie",
  "x-cache",
  "x-request-id",
  "ratelimit-limit",
  "ratelimit-remaining",
  // The database round trips of the render that filled the cache, not of the request it answers.
  "server-timing",
  // Set on every response (setSecurityHeaders), so a hit sends the current ones, once.
  ...SECURITY_HEADERS.filter((_, i) => i % 2 === 0).map((name) => name.toLowerCase()),
]);

/** The cache key of an anonymous GET or HEAD of a page that may be cached, else undefined. */
function pageCacheKey(req: IncomingMessage): string | undefined {
  if (req.method !== "GET" && req.method !== "HEAD") return undefined;
  // Paths only as sent by browsers (not `GET http://host/…`, which Express alone parses).
  const url = req.url ?? "";
  if (!url.startsWith("/")) return undefined;
  const query = url.indexOf("?");
  const path = query === -1 ? url : url.slice(0, query);
  if (runtime.UNCACHED_PATHS.test(path) || SESSION_COOKIE.test(req.headers.cookie ?? "")) return undefined;
  return runtime.pageCacheKey(path, query === -1 ? "" : url.slice(query));
}

type CachedPage = NonNullable<ReturnType<typeof pageCache.get>>;

/**
 * Answers from a cached page: 304 when the browser's copy is current, else the page, gzipped if
 * accepted, with the security headers and `nonce` in its CSP. Its headers go in one `writeHead` list
 * (a dozen setHeader calls each validated and stored a header that writeHead then read back).
 * `requestId` is for X-Request-Id, unless the response carries it already (prepared by Express).
 */
function sendCachedPage(req: IncomingMessage, res: ServerResponse, hit: CachedPage, nonce: string, requestId?: string) {
  const head = [...SECURITY_HEADERS, "ETag", hit.etag, "Vary", "Accept-Encoding, Cookie", "X-Cache", "hit"];
  if (requestId) head.push("X-Request-Id", requestId);
  if (runtime.notModified(req.headers, hit.etag)) {
    // The browser keeps its copy with the CSP header it came with (a 304 updates only the headers it
    // carries, RFC 9111 §4.3.4): a new nonce here would no longer match the scripts in that copy.
    res.removeHeader("Content-Security-Policy");
    if (hit.headers["cache-control"]) head.push("Cache-Control", hit.headers["cache-control"]);
    res.writeHead(304, head).end();
    return;
  }
  const gzip = /\bgzip\b/.test(req.headers["accept-encoding"] ?? "");
  head.push("Content-Security-Policy", cspBeforeNonce + nonce + cspAfterNonce, ...hit.rawHeaders);
  if (gzip) head.push("Content-Encoding", "gzip");
  head.push("Content-Length", String(pageCache.bodyLength(hit, nonce, gzip)));
  res.writeHead(200, head);
  if (req.method === "HEAD") {
    res.end();
    return;
  }
  // The pieces leave in one write with the headers: end() sends what was written while corked.
  const chunks = pageCache.chunks(hit, nonce, gzip);
  res.cork();
  for (let i = 0; i < chunks.length - 1; i++) res.write(chunks[i]);
  res.end(chunks[chunks.length - 1]);
}

/**
 * The GET rendering a page to store, per key, with its generation; `done` settles when its response
 * is over (stored or not). Visitors who miss the same page meanwhile wait for it instead of rendering
 * it too: when a page expires under load, every open connection missed at once, and the renders
 * (all alike) took the CPU for seconds.
 */
const filling = new Map<string, { generation: number; done: Promise<void> }>();

// Hits are answered before Express (see `handle` below); this one answers those Express is given
// anyway (and misses that waited for the render of the same page), and prepares the copy of a miss.
app.use(async (req, res, next) => {
  const key = pageCacheKey(req);
  if (!key) return next();
  try {
    const generation = await runtime.publicContentGeneration();
    let hit = pageCache.get(key, generation);
    const rendering = filling.get(key);
    if (!hit && rendering?.generation === generation) {
      await rendering.done;
      // Not stored (not a shareable 200, or its visitor left): rendered for this request as well.
      hit = pageCache.get(key, generation);
    }
    if (hit) return sendCachedPage(req, res, hit, res.locals.cspNonce as string);
    res.setHeader("X-Cache", "miss");
    if (req.method === "GET") {
      res.locals.pageCache = { key, generation };
      if (rendering?.generation !== generation) {
        const done = new Promise<void>((settle) => res.once("close", () => settle()));
        filling.set(key, { generation, done });
        void done.then(() => {
          if (filling.get(key)?.done === done) filling.delete(key);
        });
      }
    }
    next();
  } catch (error) {
    next(error);
  }
});

app.use(compression());

// On a GET that missed, keep a copy of what Remix writes (before compression), and store it only
// when the whole response was seen and may be shared.
app.use((_req, res, next) => {
  const target = res.locals.pageCache as { key: string; generation: number } | undefined;
  if (!target) return next();
  const chunks: Buffer[] = [];
  let size = 0;
  const keep = (chunk: unknown, encoding?: unknown) => {
    if (chunk === undefined || chunk === null || typeof chunk === "function" || size < 0) return;
    const buffer =
      typeof chunk === "string"
        ? Buffer.from(chunk, typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8")
        : Buffer.from(chunk as Uint8Array);
    size += buffer.length;
    if (size > MAX_BODY_BYTES) size = -1;
    else chunks.push(buffer);
  };
  const write = res.write.bind(res) as (...args: unknown[]) => boolean;
  const end = res.end.bind(res) as (...args: unknown[]) => Response;
  res.write = ((chunk: unknown, ...rest: unknown[]) => {
    keep(chunk, rest[0]);
    return write(chunk, ...rest);
  }) as typeof res.write;
  res.end = ((chunk?: unknown, ...rest: unknown[]) => {
    keep(chunk, rest[0]);
    return end(chunk, ...rest);
  }) as typeof res.end;
  // "finish": the whole response was handed to the client; a connection that broke first emits only "close".
  res.on("finish", () => {
    const cacheControl = String(res.getHeader("cache-control") ?? "");
    const declared = res.getHeader("content-length");
    const vary = String(res.getHeader("vary") ?? "")
      .split(",")
      .map((v) => v.trim().toLowerCase())
      .filter((v) => v && v !== "accept-encoding" && v !== "cookie");
    const shareable =
      size >= 0 &&
      res.statusCode === 200 &&
      !res.getHeader("set-cookie") &&
      !/no-store|private/i.test(cacheControl) &&
      vary.length === 0 &&
      (declared === undefined || Number(declared) === size) &&
      !(res.locals.loadContext as AppLoadContext | undefined)?.renderFailed;
    if (!shareable) return;
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(res.getHeaders())) {
      if (!UNCACHED_HEADERS.has(name) && value !== undefined) headers[name] = String(value);
    }
    pageCache.set(target.key, {
      headers,
      body: Buffer.concat(chunks),
      nonce: res.locals.cspNonce as string,
      generation: target.generation,
      storedAt: Date.now(),
    });
  });
  next();
});

if (viteDevServer) {
  app.use(viteDevServer.middlewares);
} else {
  app.use("/assets", express.static("build/client/assets", { immutable: true, maxAge: "1y", index: false }));
  // Only the build's other files are looked up on disk: asked for every path, the static handler
  // made a failed stat() of each page's path before Remix rendered it (3–6% of a page's CPU).
  const clientFiles = new Set(
    readdirSync("build/client", { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => `/${relative("build/client", join(entry.parentPath, entry.name)).split(sep).join("/")}`)
      .filter((path) => !path.startsWith("/assets/")),
  );
  const serveClientFile = express.static("build/client", { maxAge: "1h", index: false });
  app.use((req, res, next) => (clientFiles.has(req.path) ? serveClientFile(req, res, next) : next()));
}

// Rendered pages take turns, the rest waiting in arrival order (app/utils/render-queue.server.ts):
// a burst of signed-in visitors keeps the heap bounded and the slowest answer close to the median.
// Only reads: the sign-in callback waits on GitHub and writes are rate limited, so neither queues.
const renderQueue = new runtime.RenderQueue(RENDERS_AT_ONCE);
// A request whose visitor left while it waited is dropped, unanswered: there is nobody to read it.
app.use((req, res, next) => {
  if (!isSafeMethod(req.method) || req.path.startsWith("/auth/")) return next();
  void renderQueue.turnFor(req, res).then((turn) => {
    if (turn) next();
  }, next);
});

app.all(
  "*",
  createRequestHandler({
    // Every loader and action answers a busy database with 503 + Retry-After (database-busy.server.ts).
    // The production build is given as an object, so Remix derives its routes and its data handler
    // once; a function (the dev server's build, which changes) makes it derive them on every request.
    build: productionBuild
      ? runtime.withDatabaseBusyAnswers(productionBuild)
      : ((async () => runtime.withDatabaseBusyAnswers(await loadBuild())) as unknown as () => Promise<ServerBuild>),
    mode: development ? "development" : "production",
    getLoadContext: (_req, res) => {
      // Kept on res.locals too: the page cache reads `renderFailed` once the response has ended.
      const context: AppLoadContext = {
        cspNonce: res.locals.cspNonce as string,
        requestId: res.locals.requestId as string,
      };
      res.locals.loadContext = context;
      return context;
    },
  }),
);

// Anything that escaped a route: log it with its stack, show the person a plain message.
app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
  // A write lock held past the busy timeout outside a loader or action: 503, try again soon.
  if (runtime.isDatabaseBusy(error)) {
    log.warn("database unavailable", { path: req.path, reason: runtime.databaseUnavailableReason(error) });
    if (res.headersSent) return;
    res.setHeader("Retry-After", String(runtime.DATABASE_BUSY_RETRY_AFTER_SECONDS));
    res.setHeader("Cache-Control", "no-store");
    return res.status(503).type("text/html; charset=utf-8").send(runtime.databaseBusyPage());
  }
  // Errors Express and its parsers raise for a bad request carry a 4xx status: the client's mistake.
  const status = (error as { status?: unknown } | null)?.status;
  if (typeof status === "number" && status >= 400 && status < 500) {
    if (!res.headersSent) sendError(res, status, "Bad request.");
    return;
  }
  log.error("unhandled error", { path: req.path, ...errorFields(error) });
  if (!res.headersSent) sendError(res, 500, "Something went wrong on our side. Please try again.");
});

// Page-cache hits skip Express: its per-request set-up (prototypes, query parsing, a dozen middleware
// calls) was most of the cost of answering one. Everything a hit gets through Express it gets here
// too: the request log line and id, the security headers with a fresh nonce, and the same answer
// (sendCachedPage). The checks it skips cannot apply to a hit: only GET and HEAD of cacheable paths
// (never /auth/ with its rate limit, nor /healthz) reach the cache, and a malformed path was never
// stored; the demo's outbox and stand-ins are never cached, and its host redirect is left to Express.
// A hit logs nothing while it is answered, so it runs without the request context (withRequestId)
// that Express sets up; its request line carries its id.
function handle(req: IncomingMessage, res: ServerResponse) {
  const key = demoHostToRedirect(req) ? undefined : pageCacheKey(req);
  if (!key) return app(req, res);
  const generation = runtime.knownGeneration();
  if (generation !== undefined) return answerFromCache(req, res, key, generation);
  // Read at most once a second; if it fails, Express asks again and answers as for any request.
  runtime.publicContentGeneration().then(
    (read) => answerFromCache(req, res, key, read),
    () => app(req, res),
  );
}

function answerFromCache(req: IncomingMessage, res: ServerResponse, key: string, generation: number) {
  const hit = pageCache.get(key, generation);
  if (!hit) return app(req, res);
  sendCachedPage(req, res, hit, cspNonce(), requestLog.start(req, res));
}

const server = createServer(handle).listen(env.port, env.host, () => {
  log.info("listening", {
    url: env.appUrl,
    host: env.host,
    port: env.port,
    demo: env.demo,
    ...(slot === undefined ? {} : { worker: slot }),
    startMs: Date.now() - startedAt,
  });
  if (env.demo) {
    // [experience] commands (npm run digest…) on this database link here while the demo runs.
    runtime.recordRunningDemo(env);
    // Plain lines for the person who ran `npm run demo`, whatever LOG_LEVEL hides.
    process.stdout.write(runtime.demoStartupSummary(env.appUrl) + "\n");
  }
});

server.on("connect", (_req, socket) => {
  socket.end(
    `HTTP/1.1 405 Method Not Allowed\r\nAllow: ${ALLOWED_METHODS}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`,
  );
});

let stopping = false;
function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info("shutting down", { signal });
  if (env.demo) runtime.forgetRunningDemo(env);
  server.close(async () => {
    await viteDevServer?.close();
    await runtime.shutdown();
    log.info("stopped");
    process.exit(0);
  });
  server.closeIdleConnections();
  setTimeout(() => {
    log.warn("forcing shutdown after 10 s");
    server.closeAllConnections();
  }, 10_000).unref();
}
process.on("SIGTERM", () => stop("SIGTERM"));
process.on("SIGINT", () => stop("SIGINT"));
