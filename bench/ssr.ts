// `npm run bench:ssr [-- --size small] [-- --duration 5] [-- --rounds 3] [-- --starts 5] [-- --warmup 2]`:
// what a rendered page costs the app compared with what it costs the framework. The app's uncached
// signed-in pages run against a minimal Remix page (bench/reference: one route, a loader returning
// 20 rows) built by this script with the same @remix-run/dev, Vite and future flags, and served the
// same way (production build, Express with @remix-run/express, the Dockerfile's NODE_OPTIONS). The
// measurements alternate in rounds (app page, reference, app page, reference…) so that both see the
// same machine; each ratio is to the reference measured right after the page. Also: the cached
// anonymous /calls against a bare node:http server returning the same bytes, the process start to
// the first /healthz 200 (app and reference, alternated, median of several starts), and the database
// round trips per page from the Server-Timing header. The signed-in pages are measured twice: with one
// server process each (what a page costs, as a share of what the framework's costs) and with one
// process per CPU (`--processes`, default os.availableParallelism(); WEB_CONCURRENCY for the app,
// the same mode for the reference), as a machine with several CPUs is meant to be run. Prints each
// figure next to its target (issue #21) and the conditions; exits 0 whenever it ran, whatever the timings.
import autocannon from "autocannon";
import { sql } from "drizzle-orm";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { closeSync, cpSync, existsSync, openSync, readFileSync, rmSync } from "node:fs";
import { availableParallelism, cpus, hostname, loadavg, release, totalmem } from "node:os";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { deployedNodeOptions } from "./deployed.ts";
import { FULL_SIZE, SMALL_SIZE, writeBenchDatabase, type DatasetSize } from "./dataset.ts";
import { startBareServer } from "./bare-server.ts";

const { values: args } = parseArgs({
  options: {
    size: { type: "string", default: "full" },
    duration: { type: "string", default: "5" },
    rounds: { type: "string", default: "3" },
    starts: { type: "string", default: "5" },
    warmup: { type: "string", default: "2" },
    connections: { type: "string", default: "50" },
    port: { type: "string", default: "3340" },
    processes: { type: "string", default: String(availableParallelism()) },
  },
});
const SIZE: DatasetSize = args.size === "small" ? SMALL_SIZE : FULL_SIZE;
const DURATION = Number(args.duration);
const ROUNDS = Number(args.rounds);
const STARTS = Number(args.starts);
const WARMUP = Number(args.warmup);
const CONNECTIONS = Number(args.connections);
const PORT = Number(args.port);
/** Server processes of the second setting (the first has one). */
const PROCESSES = Number(args.processes);
if (!Number.isInteger(PROCESSES) || PROCESSES < 1) throw new Error("--processes must be a whole number ≥ 1");
const APP = `http://127.0.0.1:${PORT}`;
const REFERENCE = `http://127.0.0.1:${PORT + 1}`;
const BARE = `http://127.0.0.1:${PORT + 2}`;
const DB_FILE = resolve("tests/.tmp", `ssr-${PORT}.db`);
// Both servers run with the Node options the app is deployed with (bench/deployed.ts).
const NODE_OPTIONS = deployedNodeOptions();

// The targets of issue #21.
const TARGET = { ofReference: 0.4, p99Ms: 150, roundTrips: 3, ofBare: 0.6, firstHealthyMs: 600 };

// ---- builds and data -------------------------------------------------------------------------

/** Builds bench/reference with the repository's own @remix-run/dev (`remix vite:build`). */
function buildReference() {
  const started = performance.now();
  const cli = resolve("node_modules/@remix-run/dev/dist/cli.js");
  const result = spawnSync(process.execPath, [cli, "vite:build", "bench/reference"], { stdio: "inherit" });
  if (result.status !== 0) throw new Error("building bench/reference failed");
  console.log(`reference built in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

/**
 * The shared dataset, plus a signed-in volunteer with something on each of their pages: offers of
 * help on 12 open calls (some accepted or declined, which lands in their inbox) and a session.
 */
async function buildDatabase() {
  const started = performance.now();
  const { db, schema, closeDatabase, checkpointDatabase } = await writeBenchDatabase(DB_FILE, SIZE);
  const { createSession } = await import("../app/models/people/sessions.server.ts");
  const { notify } = await import("../app/models/inbox/notifications.server.ts");

  // A volunteer who maintains nothing (an offer of help on one's own package is refused).
  const [user] = await db().all<{ id: number; login: string }>(
    sql`SELECT id, login FROM users WHERE id NOT IN (SELECT user_id FROM package_maintainers WHERE user_id IS NOT NULL) ORDER BY id LIMIT 1`,
  );
  const openCalls = await db().all<{ id: number; title: string }>(
    sql`SELECT id, title FROM calls WHERE status = 'open' ORDER BY id LIMIT 12`,
  );
  const [pkg] = await db().all<{ name: string; path: string }>(
    sql`SELECT name, normalized_name AS path FROM packages ORDER BY id LIMIT 1`,
  );
  if (!user || !pkg || openCalls.length === 0) throw new Error("the dataset has no volunteer, package or open call");
  const now = Date.now();
  const statuses = ["pending", "accepted", "declined"] as const;
  const interests = openCalls.map((call, i) => ({ call, status: statuses[i % statuses.length]! }));
  await db()
    .insert(schema.callInterests)
    .values(
      interests.map(({ call, status }, i) => ({
        callId: call.id,
        userId: user.id,
        message: "I have maintained a Django package for three years and can help with releases.",
        status,
        decidedAt: status === "pending" ? null : now - i * 60_000,
        createdAt: now - (i + 1) * 86_400_000,
        updatedAt: now - i * 60_000,
      })),
    );
  await notify(
    interests
      .filter(({ status }) => status !== "pending")
      .map(({ call, status }) => ({
        userId: user.id,
        kind: status === "accepted" ? ("interest-accepted" as const) : ("interest-declined" as const),
        title: `Your offer of help on “${call.title}” was ${status}`,
        href: `/calls/${call.id}`,
        key: `interest-${status}:${call.id}`,
      })),
    now,
  );
  const { token } = await createSession(user.id, "bench");
  await checkpointDatabase();
  closeDatabase();
  console.log(`dataset: ${JSON.stringify(SIZE)} written in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return { login: user.login, call: openCalls[0]!, pkg, cookie: `roadies_session=${token}` };
}

// ---- processes ---------------------------------------------------------------------------------

/** `ready`: what each of its processes prints once it listens (see start). */
type Server = { name: string; base: string; command: string[]; env: Record<string, string>; ready: RegExp };

// Production settings, not demo mode: what is deployed (demo mode also seeds and syncs at start).
const appServer: Server = {
  name: "app",
  base: APP,
  command: ["build/server.js"],
  env: {
    PORT: String(PORT),
    HOST: "127.0.0.1",
    APP_URL: APP,
    DATABASE_URL: `file:${DB_FILE}`,
    SESSION_SECRET: "bench-ssr-session-secret-0123456789abcdef",
    GITHUB_CLIENT_ID: "Iv1.bench",
    GITHUB_CLIENT_SECRET: "bench-secret",
    RESEND_API_KEY: "re_bench_ssr_0123456789",
    EMAIL_FROM: "Roadies <roadies@example.org>",
    RESEND_WEBHOOK_SECRET: "whsec_bench",
    INTERNAL_API_TOKEN: "bench-ssr-internal-token-0123456789abcdef",
    TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 5).toString("base64"),
    SCHEDULER: "off",
    // The deployed log level (info: a line per request), written to a file (stdio below).
    LOG_LEVEL: "info",
  },
  ready: /"msg":"listening"/g,
};
const referenceServer: Server = {
  name: "reference",
  base: REFERENCE,
  command: ["bench/reference/server.ts"],
  env: { PORT: String(PORT + 1) },
  ready: /^listening$/gm,
};

const running = new Set<ChildProcess>();

const logFile = (server: Server) => resolve("tests/.tmp", `ssr-${PORT}-${server.name}.log`);

/**
 * Starts `server` with `processes` server processes (WEB_CONCURRENCY). Its output goes to a file of
 * its own, started afresh, where allListening finds its processes' "listening" lines.
 */
function start(server: Server, processes = 1, extraEnv: Record<string, string> = {}): ChildProcess {
  const out = openSync(logFile(server), "w");
  const child = spawn(process.execPath, server.command, {
    // Only what the server needs: the load generator's own NODE_OPTIONS (tsx's) stay out.
    env: {
      PATH: process.env.PATH ?? "",
      NODE_ENV: "production",
      NODE_OPTIONS,
      WEB_CONCURRENCY: String(processes),
      ...server.env,
      ...extraEnv,
    },
    stdio: ["ignore", out, "inherit"],
  });
  closeSync(out);
  running.add(child);
  child.once("exit", () => running.delete(child));
  return child;
}

/** Waits until each of the `processes` processes of a started server says it listens. */
async function allListening(server: Server, child: ChildProcess, processes: number) {
  const giveUp = performance.now() + 60_000;
  while ((readFileSync(logFile(server), "utf8").match(server.ready)?.length ?? 0) < processes) {
    if (child.exitCode !== null) throw new Error(`the ${server.name} server exited during start-up`);
    if (performance.now() > giveUp)
      throw new Error(`the ${server.name} server's processes did not all listen within 60 s`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Milliseconds from `startedAt` to the first 200 on /healthz. */
async function firstHealthy(server: Server, child: ChildProcess, startedAt: number): Promise<number> {
  const giveUp = performance.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the ${server.name} server exited during start-up`);
    if (performance.now() > giveUp) throw new Error(`the ${server.name} server did not answer /healthz within 60 s`);
    try {
      const response = await fetch(`${server.base}/healthz`, { signal: AbortSignal.timeout(10_000) });
      if (response.status === 200) return performance.now() - startedAt;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function stop(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((done) => child.once("exit", done));
  child.kill("SIGTERM");
  const force = setTimeout(() => child.kill("SIGKILL"), 10_000);
  await exited;
  clearTimeout(force);
}

/**
 * Process start to the first /healthz 200, each STARTS times, alternated: the app as the image
 * starts it (with the compile cache `npm run build` made, copied afresh before each start so no
 * start reads what an earlier one added), the app without a compile cache, and the reference
 * (the framework's cold start, no cache).
 */
async function startUpTimes() {
  const times = { app: [] as number[], uncached: [] as number[], reference: [] as number[] };
  const builtCache = resolve("build/compile-cache");
  const cacheDir = resolve("tests/.tmp", `compile-cache-${PORT}`);
  const hasCache = existsSync(builtCache);
  if (!hasCache)
    console.log("build/compile-cache is missing (a build older than the cache): the app starts without it");
  const runs: [keyof typeof times, Server, Record<string, string>][] = [
    ["app", appServer, hasCache ? { NODE_COMPILE_CACHE: cacheDir } : {}],
    ["uncached", appServer, {}],
    ["reference", referenceServer, {}],
  ];
  for (let i = 0; i < STARTS; i++) {
    for (const [name, server, env] of runs) {
      if (env.NODE_COMPILE_CACHE) {
        rmSync(cacheDir, { recursive: true, force: true });
        cpSync(builtCache, cacheDir, { recursive: true });
      }
      const startedAt = performance.now();
      const child = start(server, 1, env);
      times[name].push(await firstHealthy(server, child, startedAt));
      await stop(child);
    }
  }
  return { ...times, hasCache };
}

// ---- measuring ---------------------------------------------------------------------------------

/** A page to load, and what its body must hold to count as that page (see probe). */
type Target = { name: string; url: string; headers?: Record<string, string>; expect: string[] };
/** `drainMs`: from the end of the load to the answer of one more request for the same page. */
type Run = { rps: number; p50: number; p99: number; non2xx: number; errors: number; drainMs: number };

/**
 * Loads a page, then waits for the server to finish with it: when autocannon stops, the requests
 * it had in flight may still be rendering or waiting in the app's render queue, and one more
 * request is answered only after them. Without this wait that leftover work would run during the
 * next measurement (the reference's).
 */
async function load(target: Target, duration: number): Promise<Run> {
  const r = await autocannon({
    url: target.url,
    connections: CONNECTIONS,
    pipelining: 1,
    duration,
    headers: target.headers ?? {},
  });
  const stopped = performance.now();
  const last = await fetch(target.url, { headers: target.headers, signal: AbortSignal.timeout(300_000) });
  await last.arrayBuffer();
  return {
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    non2xx: r.non2xx,
    errors: r.errors + r.timeouts,
    drainMs: performance.now() - stopped,
  };
}

const ROUND_TRIPS = /db;dur=([\d.]+);desc="(\d+) round trips"/;

/**
 * Fetches a page once (no redirects followed) and checks it is what the measurement means to
 * measure: a 200 holding everything the target expects. Returns its size and the database round
 * trips it reports.
 */
async function probe(target: Target) {
  const response = await fetch(target.url, {
    headers: target.headers,
    redirect: "manual",
    signal: AbortSignal.timeout(30_000),
  }).catch((error: unknown) => {
    throw new Error(`${target.name}: ${error instanceof Error ? error.message : String(error)}`);
  });
  const body = await response.text();
  const missing = target.expect.filter((text) => !body.includes(text));
  if (response.status !== 200 || missing.length > 0) {
    const where = response.headers.get("location");
    throw new Error(
      `${target.name} answered ${response.status}${where ? ` → ${where}` : ""}${missing.length ? ` without ${missing.map((m) => `"${m}"`).join(", ")}` : ""}: not measuring it`,
    );
  }
  const timing = ROUND_TRIPS.exec(response.headers.get("server-timing") ?? "");
  return {
    bytes: Buffer.byteLength(body),
    roundTrips: timing ? Number(timing[2]) : undefined,
    dbMs: timing ? Number(timing[1]) : undefined,
    response,
  };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

// ---- the run -----------------------------------------------------------------------------------

if (!existsSync("build/server.js")) throw new Error("no production build: run `npm run build` first");
const loadBefore = loadavg();
const runStarted = performance.now();
buildReference();
const ids = await buildDatabase();
process.on("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

console.log(`start-up: ${STARTS} starts each…`);
const startTimes = await startUpTimes();
const app = start(appServer);
const reference = start(referenceServer);
await Promise.all([firstHealthy(appServer, app, 0), firstHealthy(referenceServer, reference, 0)]);

// Each page must be the signed-in page itself, not a redirect to sign-in or an error page: its own
// heading and data, and the header's sign-out form (on signed-in pages only).
const signedIn = { cookie: ids.cookie };
const SIGNED_IN = 'action="/logout"';
const pages: Target[] = [
  { name: "/calls", url: `${APP}/calls`, expect: ["<h1>Calls for maintainers</h1>"] },
  { name: "/calls/:id", url: `${APP}/calls/${ids.call.id}`, expect: [`<h1>${ids.call.title}</h1>`] },
  { name: "/me/interests", url: `${APP}/me/interests`, expect: ["<h1>My interests</h1>", ids.call.title] },
  { name: "/packages/:name", url: `${APP}/packages/${ids.pkg.path}`, expect: [`<h1>${ids.pkg.name}</h1>`] },
  { name: "/inbox", url: `${APP}/inbox`, expect: ["<h1>Inbox</h1>", "was accepted"] },
].map((page) => ({ ...page, headers: signedIn, expect: [...page.expect, SIGNED_IN] }));
const referencePage: Target = {
  name: "minimal Remix page",
  url: `${REFERENCE}/`,
  expect: ["Help wanted on release 20"],
};
const anonymousCalls: Target = {
  name: "cached anonymous /calls",
  url: `${APP}/calls`,
  expect: ["<h1>Calls for maintainers</h1>"],
};

console.log("checking the pages…");
for (const page of pages) {
  // Signed-in pages are rendered for each request, never served from the page cache.
  const { response } = await probe(page);
  if (response.headers.get("x-cache")) throw new Error(`${page.name} signed in went through the page cache`);
}
await probe(referencePage);
await probe(anonymousCalls); // fills the page cache
const cached = await probe(anonymousCalls);
if (cached.response.headers.get("x-cache") !== "hit") throw new Error("anonymous /calls was not served from the cache");
const bareBody = Buffer.from(await (await fetch(anonymousCalls.url)).arrayBuffer());
const bare = await startBareServer(bareBody, cached.response.headers.get("content-type")!, PORT + 2, {
  PATH: process.env.PATH ?? "",
  NODE_ENV: "production",
  NODE_OPTIONS,
});
running.add(bare);
bare.once("exit", () => running.delete(bare));
const barePage: Target = { name: "bare node:http, same bytes", url: `${BARE}/calls`, expect: [] };

// Warm-up (JIT, SQLite's pages, the page cache), then the page facts read from a warm server.
console.log("warm-up…");
for (const target of [...pages, referencePage, anonymousCalls, barePage]) await load(target, WARMUP);
const facts = new Map<Target, Awaited<ReturnType<typeof probe>>>();
for (const page of [...pages, referencePage]) {
  // The most a page made in three requests: a session's occasional touch counts too.
  for (let i = 0; i < 3; i++) {
    const seen = await probe(page);
    if ((seen.roundTrips ?? -1) >= (facts.get(page)?.roundTrips ?? -1)) facts.set(page, seen);
  }
}

type Pair = { page: Run; reference: Run };
const pairs = new Map<Target, Pair[]>(pages.map((p) => [p, []]));
const anonymousPairs: Pair[] = [];
for (let round = 1; round <= ROUNDS; round++) {
  console.log(`round ${round}/${ROUNDS}…`);
  for (const page of pages) {
    pairs.get(page)!.push({ page: await load(page, DURATION), reference: await load(referencePage, DURATION) });
  }
  anonymousPairs.push({ page: await load(anonymousCalls, DURATION), reference: await load(barePage, DURATION) });
}
await Promise.all([stop(app), stop(reference), stop(bare)]);

// The second setting: PROCESSES server processes for the app and for the reference alike, signed-in
// pages only (the cached page and the start-up are measured per process above).
const spreadPairs = new Map<Target, Pair[]>(pages.map((p) => [p, []]));
if (PROCESSES > 1) {
  const apps = start(appServer, PROCESSES);
  const references = start(referenceServer, PROCESSES);
  await Promise.all([allListening(appServer, apps, PROCESSES), allListening(referenceServer, references, PROCESSES)]);
  console.log(`${PROCESSES} processes each: warm-up…`);
  for (const target of [...pages, referencePage]) await load(target, WARMUP);
  for (let round = 1; round <= ROUNDS; round++) {
    console.log(`${PROCESSES} processes each: round ${round}/${ROUNDS}…`);
    for (const page of pages) {
      spreadPairs.get(page)!.push({ page: await load(page, DURATION), reference: await load(referencePage, DURATION) });
    }
  }
  await Promise.all([stop(apps), stop(references)]);
}
const loadAfter = loadavg();

// ---- the report --------------------------------------------------------------------------------

/** Medians over the rounds; non-2xx and failed requests summed. */
function summarise(runs: Run[]) {
  return {
    rps: median(runs.map((r) => r.rps)),
    p50: median(runs.map((r) => r.p50)),
    p99: median(runs.map((r) => r.p99)),
    bad: runs.reduce((n, r) => n + r.non2xx + r.errors, 0),
    drainMs: median(runs.map((r) => r.drainMs)),
  };
}
const ratios = (list: Pair[]) => list.map((p) => p.page.rps / p.reference.rps);
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const verdict = (met: boolean) => (met ? "met" : "MISSED");
const columns = [28, 7, 8, 8, 8, 9, 10, 11, 9, 10, 7];
const row = (...cells: (string | number)[]) =>
  cells.map((c, i) => (i === 0 ? String(c).padEnd(columns[0]!) : String(c).padStart(columns[i] ?? 0))).join("");
/** A table's heading: the columns `figures` fills, then the table's own. */
const heading = (title: string, ...own: string[]) =>
  row(title, "KB", "req/s", "p50 ms", "p99 ms", "non-2xx", "drain ms", ...own);
const figures = (name: string, bytes: number, runs: Run[]) => {
  const s = summarise(runs);
  return [
    name,
    (bytes / 1024).toFixed(1),
    s.rps.toFixed(0),
    s.p50.toFixed(0),
    s.p99.toFixed(0),
    s.bad,
    s.drainMs.toFixed(0),
  ];
};
const cpu = cpus();
const loads = (l: number[]) => l.map((x) => x.toFixed(2)).join(" ");

console.log(`\nbench:ssr, ${new Date().toISOString().slice(0, 16)}Z`);
console.log(
  `machine: ${hostname()}, ${cpu.length} × ${cpu[0]?.model.trim()}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Linux ${release()}; node ${process.version}`,
);
console.log(`load average (1, 5, 15 min): before ${loads(loadBefore)}, after ${loads(loadAfter)}`);
console.log(
  `load: autocannon in this process, ${CONNECTIONS} connections, no pipelining; ${WARMUP} s warm-up per target, then ${ROUNDS} rounds of ${DURATION} s per measurement, each app page followed by the reference`,
);
console.log(
  `servers: production builds on loopback, Express with @remix-run/express, NODE_OPTIONS="${NODE_OPTIONS}" (Dockerfile); the app in production settings, scheduler off, request logs to tests/.tmp/ssr-${PORT}-app.log`,
);
console.log(
  PROCESSES > 1
    ? `processes: the signed-in pages measured with 1 server process each, then with ${PROCESSES} each (app: WEB_CONCURRENCY=${PROCESSES}, a primary and ${PROCESSES} workers on one port; the reference in the same mode); ${availableParallelism()} CPUs available`
    : `processes: 1 server process each (--processes 1); ${availableParallelism()} CPUs available`,
);
console.log(
  `dataset: ${JSON.stringify(SIZE)}; signed in as @${ids.login}; whole run ${((performance.now() - runStarted) / 1000).toFixed(0)} s`,
);
console.log(
  "figures: medians of the rounds; each ratio is to the reference measured right after the page; drain: from the end of a load to the answer of one more request (work left queued for connections already gone)\n",
);

console.log(heading("signed-in page, 1 process", "ref req/s", "of ref", "db trips", "db ms") + "   of ref per round");
const results = pages.map((page) => {
  const list = pairs.get(page)!;
  const fact = facts.get(page)!;
  return {
    page,
    ...summarise(list.map((p) => p.page)),
    ratio: median(ratios(list)),
    roundTrips: fact.roundTrips,
    line:
      row(
        ...figures(
          page.name,
          fact.bytes,
          list.map((p) => p.page),
        ),
        summarise(list.map((p) => p.reference)).rps.toFixed(0),
        pct(median(ratios(list))),
        fact.roundTrips ?? "n/a",
        fact.dbMs?.toFixed(1) ?? "n/a",
      ) + `   ${ratios(list).map(pct).join(" ")}`,
  };
});
for (const r of results) console.log(r.line);
const referenceRuns = [...pairs.values()].flat().map((p) => p.reference);
console.log(row(...figures("minimal Remix page (ref)", facts.get(referencePage)!.bytes, referenceRuns)));

// The same pages with PROCESSES processes each: how the app meets its load on this machine's CPUs.
const spread = pages.map((page) => {
  const list = spreadPairs.get(page)!;
  return { page, list, ...summarise(list.map((p) => p.page)), ratio: median(ratios(list)) };
});
if (PROCESSES > 1) {
  console.log("\n" + heading(`signed-in page, ${PROCESSES} processes`, "ref req/s", "of ref") + "   of ref per round");
  for (const r of spread) {
    console.log(
      row(
        ...figures(
          r.page.name,
          facts.get(r.page)!.bytes,
          r.list.map((p) => p.page),
        ),
        summarise(r.list.map((p) => p.reference)).rps.toFixed(0),
        pct(r.ratio),
      ) + `   ${ratios(r.list).map(pct).join(" ")}`,
    );
  }
  const spreadReference = spread.flatMap((r) => r.list.map((p) => p.reference));
  console.log(row(...figures("minimal Remix page (ref)", facts.get(referencePage)!.bytes, spreadReference)));
}

const anonymous = { ...summarise(anonymousPairs.map((p) => p.page)), ratio: median(ratios(anonymousPairs)) };
console.log("\n" + heading("cached page", "bare req/s", "of bare") + "   of bare per round");
console.log(
  row(
    ...figures(
      "anonymous /calls",
      bareBody.length,
      anonymousPairs.map((p) => p.page),
    ),
    summarise(anonymousPairs.map((p) => p.reference)).rps.toFixed(0),
    pct(anonymous.ratio),
  ) + `   ${ratios(anonymousPairs).map(pct).join(" ")}`,
);
console.log(
  row(
    ...figures(
      "bare node:http, same bytes",
      bareBody.length,
      anonymousPairs.map((p) => p.reference),
    ),
  ),
);

const appStart = median(startTimes.app);
const ms = (list: number[]) => list.map((t) => t.toFixed(0)).join(", ");
console.log(
  `\nprocess start → first /healthz 200 (median of ${STARTS}, alternated): app ${appStart.toFixed(0)} ms (${ms(startTimes.app)}${startTimes.hasCache ? ", with the compile cache the build made, as the image starts" : ", no compile cache in this build"}); app without a compile cache ${median(startTimes.uncached).toFixed(0)} ms (${ms(startTimes.uncached)}); minimal Remix server ${median(startTimes.reference).toFixed(0)} ms (${ms(startTimes.reference)})`,
);

const worst = <T>(list: T[], by: (t: T) => number) => list.reduce((a, b) => (by(b) > by(a) ? b : a));
// Each target that concerns the signed-in pages, judged with one process and with PROCESSES.
type Judged = { page: Target; ratio: number; p99: number };
const settings: { label: string; list: Judged[] }[] = [
  { label: "1 process", list: results },
  ...(PROCESSES > 1 ? [{ label: `${PROCESSES} processes`, list: spread }] : []),
];
const uncounted = results.filter((r) => r.roundTrips === undefined);
const mostTrips = worst(results, (r) => r.roundTrips ?? -1);
console.log("\ntargets:");
console.log(
  `  signed-in pages ≥ ${pct(TARGET.ofReference)} of the reference (each with the same processes): ${settings
    .map(({ label, list }) => {
      const r = worst(list, (x) => -x.ratio);
      return `${label}: worst ${pct(r.ratio)} (${r.page.name}) ${verdict(r.ratio >= TARGET.ofReference)}`;
    })
    .join("; ")}`,
);
console.log(
  `  signed-in p99 ≤ ${TARGET.p99Ms} ms at ${CONNECTIONS} connections: ${settings
    .map(({ label, list }) => {
      const r = worst(list, (x) => x.p99);
      return `${label}: worst ${r.p99.toFixed(0)} ms (${r.page.name}) ${verdict(r.p99 <= TARGET.p99Ms)}`;
    })
    .join("; ")}`,
);
console.log(
  uncounted.length > 0
    ? `  ≤ ${TARGET.roundTrips} database round trips per signed-in page: n/a (no Server-Timing "db" entry on ${uncounted.map((r) => r.page.name).join(", ")})`
    : `  ≤ ${TARGET.roundTrips} database round trips per signed-in page: worst ${mostTrips.roundTrips} (${mostTrips.page.name}) ${verdict(mostTrips.roundTrips! <= TARGET.roundTrips)}`,
);
console.log(
  `  cached anonymous ≥ ${pct(TARGET.ofBare)} of the bare server: ${pct(anonymous.ratio)} ${verdict(anonymous.ratio >= TARGET.ofBare)}`,
);
console.log(
  `  first /healthz 200 within ${TARGET.firstHealthyMs} ms: ${appStart.toFixed(0)} ms ${verdict(appStart <= TARGET.firstHealthyMs)}`,
);
const bad = [...results, ...(PROCESSES > 1 ? spread : [])].reduce((n, r) => n + r.bad, anonymous.bad);
if (bad > 0)
  console.log(`  note: ${bad} non-2xx or failed requests on the app's pages: their figures are not the pages'`);
process.exit(0);
