// `npm run bench:mixed [-- --duration 60] [-- --connections 50] [-- --size medium|small]`: a mixed
// load on the production build (loopback) while the weekly digest and a package sync write at the
// same time, then a count of what was stored. Load: plain fetch workers (one request at a time
// each) mixing anonymous reads, signed-in reads, posting interests on calls, saving profiles and
// submitting programme applications, through the real forms' fields with a same-site Origin.
// Writers at the same time: the digest through POST /internal/jobs/digest inside the server
// (against the Resend stand-in), and `scripts/sync.ts --all` as a second process on the same
// database file (against the PyPI and GitHub stand-ins). Prints requests by kind, the status
// histogram, 5xx, bodies containing "database is locked", acknowledged writes against rows found,
// digest emails accepted by the stand-in against deliveries recorded, and the machine's load.
// Exits 1 when an invariant fails; `--json` adds a last line `MIXED_RESULT {...}` for tests.
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { cpus, loadavg, totalmem, uptime } from "node:os";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import { deployedNodeOptions } from "./deployed.ts";
import { writeBenchDatabase, type DatasetSize } from "./dataset.ts";
import { startResendStandIn } from "../tests/fakes/resend.ts";
import { createGitHubStandIn } from "../tests/fakes/github.ts";
import { createPyPIStandIn } from "../tests/fakes/pypi.ts";

const { values: args } = parseArgs({
  options: {
    size: { type: "string", default: "medium" },
    duration: { type: "string", default: "60" },
    connections: { type: "string", default: "50" },
    port: { type: "string", default: "3330" },
    json: { type: "boolean", default: false },
  },
});
const SIZES: Record<string, DatasetSize> = {
  small: { volunteers: 800, packages: 60, calls: 150 },
  medium: { volunteers: 10_000, packages: 1_000, calls: 2_000 },
};
const SIZE = SIZES[args.size];
if (!SIZE) throw new Error(`--size must be one of ${Object.keys(SIZES).join(", ")}`);
const DURATION_MS = Number(args.duration) * 1000;
const CONNECTIONS = Number(args.connections);
const PORT = Number(args.port);
const BASE = `http://127.0.0.1:${PORT}`;
const DB_FILE = resolve("tests/.tmp", `mixed-${PORT}.db`);
const INTERNAL_TOKEN = "mixed-load-internal-token-0123456789abcdef";
const RESEND_KEY = "re_mixed_load_0123456789";
const MARK = "mixed-load";
const log = (line: string) => (args.json ? process.stderr : process.stdout).write(`${line}\n`);

// ---- the database: dataset, an open programme, sessions for the people who write ------------

type Pools = { interest: string[]; profile: string[]; application: string[]; reader: string[] };

async function buildDatabase() {
  const started = performance.now();
  const { db, closeDatabase, checkpointDatabase, schema } = await writeBenchDatabase(DB_FILE, SIZE!);
  const { createSession } = await import("../app/models/people/sessions.server.ts");

  const now = Date.now();
  const [program] = await db()
    .insert(schema.programs)
    .values({
      slug: MARK,
      name: "Mixed load mentoring",
      organisation: "Roadies benchmarks",
      seasonStart: "2027-01-01",
      seasonEnd: "2027-06-30",
      opensOn: "2020-01-01",
      closesOn: "2099-12-31",
      windowTimezone: "UTC",
      opensAt: now - 86_400_000,
      closesAt: now + 365 * 86_400_000,
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  const [role] = await db()
    .insert(schema.programRoles)
    .values({ programId: program!.id, name: "Mentee", capacity: 100_000 })
    .returning();
  const [question] = await db()
    .insert(schema.programQuestions)
    .values({
      programId: program!.id,
      kind: "short_text",
      label: "Why do you apply?",
      required: true,
      maxLength: 200,
      createdAt: now,
      updatedAt: now,
    })
    .returning();

  // Writers are people who maintain nothing (an interest in one's own package is refused).
  const people = await db().all<{ id: number }>(
    sql`SELECT id FROM users WHERE id NOT IN (SELECT user_id FROM package_maintainers WHERE user_id IS NOT NULL) ORDER BY id`,
  );
  const perPool = Math.floor(people.length / 4);
  const pools: Pools = { interest: [], profile: [], application: [], reader: [] };
  const names = ["interest", "profile", "application", "reader"] as const;
  for (const [i, name] of names.entries()) {
    for (const person of people.slice(i * perPool, (i + 1) * perPool)) {
      const { token } = await createSession(person.id, "bench");
      pools[name].push(`roadies_session=${token}`);
    }
  }
  const calls = await db().all<{ id: number }>(sql`SELECT id FROM calls WHERE status = 'open' ORDER BY id`);
  const packages = await db().all<{ name: string; repository: string }>(
    sql`SELECT normalized_name AS name, repository FROM packages ORDER BY id`,
  );
  await checkpointDatabase();
  closeDatabase();
  log(
    `dataset: ${args.size} ${JSON.stringify(SIZE)}, ${perPool} signed-in people per write kind, written in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  return {
    programSlug: program!.slug,
    roleId: role!.id,
    questionId: question!.id,
    callIds: calls.map((c) => c.id),
    packages,
    pools,
  };
}

// ---- stand-ins and processes -----------------------------------------------------------------

async function startStandIns(packages: { name: string; repository: string }[]) {
  const resend = await startResendStandIn({ apiKey: RESEND_KEY, rateLimitPerSecond: 10 });
  const pypi = createPyPIStandIn(
    packages.map((p, i) => ({
      name: p.name,
      classifiers: ["Framework :: Django", "Framework :: Django :: 5.2"],
      releases: [{ version: `1.${i % 10}.0`, uploadedOn: "2026-10-01" }],
    })),
  );
  const github = createGitHubStandIn({
    rateLimit: 1_000_000,
    repos: packages.map((p, i) => {
      const [owner, name] = p.repository.split("/") as [string, string];
      return { owner, name, stars: i, openIssues: i % 17, pushedAt: "2026-10-01T00:00:00Z", permissions: {} };
    }),
  });
  const [pypiServer, githubServer] = await Promise.all([pypi.listen(), github.listen()]);
  return { resend, pypiServer, githubServer };
}

function startServer(resendUrl: string, pypiUrl: string): ChildProcess {
  return spawn(process.execPath, ["build/server.js"], {
    env: {
      PATH: process.env.PATH ?? "",
      NODE_ENV: "production",
      NODE_OPTIONS: deployedNodeOptions(),
      PORT: String(PORT),
      HOST: "127.0.0.1",
      APP_URL: BASE,
      DATABASE_URL: `file:${DB_FILE}`,
      SESSION_SECRET: "mixed-load-session-secret-0123456789abcdef",
      GITHUB_CLIENT_ID: "Iv1.mixed",
      GITHUB_CLIENT_SECRET: "mixed-secret",
      RESEND_API_KEY: RESEND_KEY,
      RESEND_BASE_URL: resendUrl,
      EMAIL_FROM: "Roadies <roadies@example.org>",
      RESEND_WEBHOOK_SECRET: "whsec_mixed",
      INTERNAL_API_TOKEN: INTERNAL_TOKEN,
      TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 5).toString("base64"),
      PYPI_URL: pypiUrl,
      SCHEDULER: "off",
      // Monday: whatever today is, everyone's digest day has come this week.
      DIGEST_DAY: "1",
      // Half the stand-in's 10 requests/s (Resend's limit is per team): room for the emails people trigger.
      DIGEST_RATE_PER_SECOND: "5",
      // Every request comes from 127.0.0.1: the per-address write limit would refuse most of them.
      RATE_LIMIT_WRITES_PER_MINUTE: "10000000",
      LOG_LEVEL: "silent",
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
}

async function waitForHealth(child: ChildProcess) {
  for (;;) {
    if (child.exitCode !== null) throw new Error("the server exited during start-up");
    try {
      if ((await fetch(`${BASE}/healthz`)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((done) => child.once("exit", (code) => done(code)));
}

// ---- the load --------------------------------------------------------------------------------

type Kind = "anonymous read" | "signed-in read" | "interest" | "profile" | "application";
const WEIGHTS: [Kind, number][] = [
  ["anonymous read", 45],
  ["signed-in read", 20],
  ["interest", 12],
  ["profile", 12],
  ["application", 11],
];
const WRITE_KINDS = ["interest", "profile", "application"] as const;

type Tally = {
  requests: Record<Kind, number>;
  statuses: Record<string, number>;
  serverErrors: number;
  lockedBodies: number;
  networkErrors: number;
  acknowledged: Record<(typeof WRITE_KINDS)[number], number>;
  latencies: Record<Kind, number[]>;
  /** Latencies of requests started before the digest and the sync began: the same load without them. */
  alone: Record<Kind, number[]>;
};

/** When the digest and the sync started (set by the run); requests before it form the baseline. */
let writersAt = Infinity;

async function runLoad(ids: Awaited<ReturnType<typeof buildDatabase>>, until: number): Promise<Tally> {
  const tally: Tally = {
    requests: { "anonymous read": 0, "signed-in read": 0, interest: 0, profile: 0, application: 0 },
    statuses: {},
    serverErrors: 0,
    lockedBodies: 0,
    networkErrors: 0,
    acknowledged: { interest: 0, profile: 0, application: 0 },
    latencies: { "anonymous read": [], "signed-in read": [], interest: [], profile: [], application: [] },
    alone: { "anonymous read": [], "signed-in read": [], interest: [], profile: [], application: [] },
  };
  const next = { interest: 0, profile: 0, application: 0, reader: 0 };
  let rand = 48;
  const random = () => {
    rand = (rand * 1103515245 + 12345) % 2147483648;
    return rand / 2147483648;
  };
  const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)]!;
  const total = WEIGHTS.reduce((s, [, w]) => s + w, 0);
  const chooseKind = (): Kind => {
    let r = random() * total;
    for (const [kind, w] of WEIGHTS) if ((r -= w) < 0) return kind;
    return "anonymous read";
  };
  const form = (cookie: string, body: URLSearchParams): RequestInit => ({
    method: "POST",
    redirect: "manual",
    headers: {
      cookie,
      origin: BASE,
      "content-type": "application/x-www-form-urlencoded",
    },
    body,
  });

  /** The next request of a kind, or undefined when that kind has used up its signed-in people. */
  const request = (kind: Kind): [string, RequestInit] | undefined => {
    const n = kind === "interest" || kind === "profile" || kind === "application" ? next[kind]++ : 0;
    switch (kind) {
      case "anonymous read": {
        const call = pick(ids.callIds);
        const pkg = pick(ids.packages).name;
        return [pick(["/", "/calls", `/calls/${call}`, `/packages/${pkg}`, "/calls?q=bench"]), {}];
      }
      case "signed-in read": {
        const cookie = ids.pools.reader[next.reader++ % ids.pools.reader.length]!;
        const path = pick(["/me/interests", "/settings/profile", `/calls/${pick(ids.callIds)}`, "/me/applications"]);
        return [path, { headers: { cookie } }];
      }
      case "interest": {
        const cookie = ids.pools.interest[n];
        if (!cookie) return undefined;
        const body = new URLSearchParams({ intent: "interest", message: `${MARK} interest ${n}: happy to help.` });
        return [`/calls/${ids.callIds[n % ids.callIds.length]}`, form(cookie, body)];
      }
      case "profile": {
        const cookie = ids.pools.profile[n];
        if (!cookie) return undefined;
        const body = new URLSearchParams([
          ["timezone", "Europe/Paris"],
          ["availabilityHours", String(1 + (n % 10))],
          ["rolesWanted", "co-maintainer"],
          ["rolesWanted", "mentor"],
          ["djangoVersions", "5.2"],
          ["bio", `${MARK} profile ${n}`],
          ["visibility", "public"],
          ["skills.testing", "expert"],
          ["skills.documentation", "comfortable"],
        ]);
        return ["/settings/profile", form(cookie, body)];
      }
      case "application": {
        const cookie = ids.pools.application[n];
        if (!cookie) return undefined;
        const body = new URLSearchParams({
          intent: "submit",
          roleId: String(ids.roleId),
          [`q-${ids.questionId}`]: `${MARK} application ${n}`,
          timezone: "Europe/Paris",
          availableFrom: "9",
          availableTo: "17",
        });
        return [`/programs/${ids.programSlug}/apply`, form(cookie, body)];
      }
    }
  };

  const worker = async () => {
    while (Date.now() < until) {
      let kind = chooseKind();
      let req = request(kind);
      if (!req) [kind, req] = ["anonymous read", request("anonymous read")!];
      const started = performance.now();
      tally.requests[kind] += 1;
      try {
        const response = await fetch(`${BASE}${req[0]}`, req[1]);
        const body = await response.text();
        tally.latencies[kind].push(performance.now() - started);
        if (started < writersAt) tally.alone[kind].push(performance.now() - started);
        tally.statuses[response.status] = (tally.statuses[response.status] ?? 0) + 1;
        if (response.status >= 500) tally.serverErrors += 1;
        if (/database is locked/i.test(body)) tally.lockedBodies += 1;
        if ((kind === "interest" || kind === "profile" || kind === "application") && response.status < 400) {
          tally.acknowledged[kind] += 1;
        }
      } catch {
        tally.networkErrors += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, worker));
  return tally;
}

// ---- the run ---------------------------------------------------------------------------------

const ids = await buildDatabase();
const standIns = await startStandIns(ids.packages);
const server = startServer(standIns.resend.url, standIns.pypiServer.url);
await waitForHealth(server);
const week = (await import("../app/models/digest/weeks.ts")).isoWeekOf(Date.now());

// How long the server takes to answer /healthz (no database write, no rendering) while everything
// runs: a long answer means its event loop was blocked, e.g. by the digest's matching or rendering.
const probes: { at: number; ms: number }[] = [];
let probing = true;
const probe = (async () => {
  while (probing) {
    const started = performance.now();
    try {
      await (await fetch(`${BASE}/healthz`)).text();
      probes.push({ at: Date.now(), ms: performance.now() - started });
    } catch {
      // counted by the workers
    }
    await new Promise((r) => setTimeout(r, 200));
  }
})();

const loadStarted = Date.now();
const until = loadStarted + DURATION_MS;
const load = runLoad(ids, until);

// The writers start a quarter into the load: the first quarter is the same load without them.
await new Promise((r) => setTimeout(r, DURATION_MS / 4));
writersAt = performance.now();
const digestStarted = Date.now();
const digest = fetch(`${BASE}/internal/jobs/digest`, {
  method: "POST",
  headers: { authorization: `Bearer ${INTERNAL_TOKEN}`, "content-type": "application/json" },
  body: JSON.stringify({ week }),
}).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown>, at: Date.now() }));
const syncStarted = Date.now();
const syncProcess = spawn(process.execPath, ["--import", "tsx", "scripts/sync.ts", "--all"], {
  env: {
    ...process.env,
    NODE_ENV: "test",
    DATABASE_URL: `file:${DB_FILE}`,
    PYPI_URL: standIns.pypiServer.url,
    GITHUB_API_URL: `${standIns.githubServer.url}/api`,
    LOG_LEVEL: "silent",
  },
  stdio: ["ignore", "pipe", "inherit"],
});
let syncOutput = "";
syncProcess.stdout!.on("data", (chunk: Buffer) => (syncOutput += chunk.toString()));
const sync = exited(syncProcess).then((code) => ({ code, at: Date.now() }));

const tally = await load;
const loadEnded = Date.now();
const [digestResult, syncResult] = await Promise.all([digest, sync]);
probing = false;
await probe;
const rssMb = (() => {
  try {
    const status = readFileSync(`/proc/${server.pid}/status`, "utf8");
    return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
  } catch {
    return NaN;
  }
})();
server.kill("SIGTERM");
await exited(server);

// ---- the count -------------------------------------------------------------------------------

const { db, closeDatabase } = await import("../app/utils/db.server.ts");
const count = async (query: ReturnType<typeof sql>) => (await db().get<{ n: number }>(query))!.n;
const stored = {
  interest: await count(sql`SELECT count(*) AS n FROM call_interests WHERE message LIKE ${`${MARK} interest %`}`),
  profile: await count(sql`SELECT count(*) AS n FROM users WHERE bio LIKE ${`${MARK} profile %`}`),
  application: await count(
    sql`SELECT count(*) AS n FROM applications a JOIN programs p ON p.id = a.program_id
        WHERE p.slug = ${MARK} AND a.status = 'submitted'`,
  ),
};
const deliveries = await db().all<{ status: string; n: number }>(
  sql`SELECT e.status, count(*) AS n FROM digest_deliveries d
      LEFT JOIN email_deliveries e ON e.idempotency_key = d.email_key WHERE d.week = ${week} GROUP BY e.status`,
);
const deliveredRows = deliveries.find((d) => d.status === "sent")?.n ?? 0;
const syncRun = await db().get<{ total: number; done: number; updated: number; failed: number }>(
  sql`SELECT total, done, updated, failed FROM sync_runs ORDER BY id DESC LIMIT 1`,
);
closeDatabase();
const digestEmails = standIns.resend.sent().filter((e) => e.tags.some((t) => t.value === "digest"));
const digestRecipients = new Set(digestEmails.map((e) => e.to[0]));
await standIns.resend.close();
await Promise.all([standIns.pypiServer.close(), standIns.githubServer.close()]);

// ---- the report ------------------------------------------------------------------------------

const pct = (list: number[], p: number) => {
  if (list.length === 0) return 0;
  const sorted = [...list].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!);
};
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const totalRequests = Object.values(tally.requests).reduce((a, b) => a + b, 0);
log(
  `\nmachine: ${cpus().length} × ${cpus()[0]?.model.trim()}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; node ${process.version}`,
);
log(
  `uptime: ${(uptime() / 3600).toFixed(1)} h, load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")}`,
);
log(`load: ${CONNECTIONS} fetch workers for ${seconds(loadEnded - loadStarted)}, ${totalRequests} requests`);
log(
  `digest: POST /internal/jobs/digest from +${seconds(digestStarted - loadStarted)} to +${seconds(digestResult.at - loadStarted)} (HTTP ${digestResult.status})`,
);
log(
  `sync: scripts/sync.ts --all (second process) from +${seconds(syncStarted - loadStarted)} to +${seconds(syncResult.at - loadStarted)} (exit ${syncResult.code}): ${JSON.stringify(syncRun)}`,
);
log(
  `\n${"kind".padEnd(16)}${"requests".padStart(10)}${"p50 ms".padStart(8)}${"p99 ms".padStart(8)}   before the writers: p50, p99 ms`,
);
for (const kind of Object.keys(tally.requests) as Kind[]) {
  log(
    `${kind.padEnd(16)}${String(tally.requests[kind]).padStart(10)}${String(pct(tally.latencies[kind], 50)).padStart(8)}${String(pct(tally.latencies[kind], 99)).padStart(8)}` +
      `   ${pct(tally.alone[kind], 50)}, ${pct(tally.alone[kind], 99)} (${tally.alone[kind].length})`,
  );
}
log(
  `\nstatuses: ${Object.entries(tally.statuses)
    .map(([s, n]) => `${s}: ${n}`)
    .join(", ")}`,
);
log(`5xx: ${tally.serverErrors}; network errors: ${tally.networkErrors}`);
log(`bodies containing "database is locked": ${tally.lockedBodies}`);
log(`\n${"write".padEnd(14)}${"acknowledged".padStart(14)}${"stored".padStart(8)}`);
for (const kind of WRITE_KINDS) {
  log(`${kind.padEnd(14)}${String(tally.acknowledged[kind]).padStart(14)}${String(stored[kind]).padStart(8)}`);
}
const digestBody = digestResult.body;
log(
  `\ndigest: ${digestEmails.length} emails accepted by the Resend stand-in (${digestRecipients.size} people), ` +
    `${deliveredRows} deliveries recorded as sent; run summary sent=${String(digestBody.sent)} retryLater=${String(digestBody.retryLater)} failed=${String(digestBody.failed)}`,
);
log(`server peak RSS: ${rssMb.toFixed(0)} MB`);
const during = probes.filter((p) => p.at >= digestStarted && p.at <= digestResult.at).map((p) => p.ms);
const outside = probes.filter((p) => p.at < digestStarted || p.at > digestResult.at).map((p) => p.ms);
const maxOf = (list: number[]) => (list.length ? Math.round(Math.max(...list)) : 0);
log(
  `/healthz probe every 200 ms: during the digest run p50 ${pct(during, 50)} ms, max ${maxOf(during)} ms (${during.length} probes); ` +
    `outside it p50 ${pct(outside, 50)} ms, max ${maxOf(outside)} ms (${outside.length} probes)`,
);

const problems: string[] = [];
if (tally.serverErrors > 0) problems.push(`${tally.serverErrors} responses were 5xx`);
if (tally.lockedBodies > 0) problems.push(`${tally.lockedBodies} responses said "database is locked"`);
if (tally.networkErrors > 0) problems.push(`${tally.networkErrors} requests failed at the network level`);
for (const kind of WRITE_KINDS) {
  if (tally.acknowledged[kind] !== stored[kind]) {
    problems.push(`${kind}: ${tally.acknowledged[kind]} acknowledged but ${stored[kind]} stored`);
  }
}
if (digestResult.status !== 200) problems.push(`the digest run answered HTTP ${digestResult.status}`);
if (digestEmails.length !== deliveredRows || digestRecipients.size !== digestEmails.length) {
  problems.push(`digest: ${digestEmails.length} emails but ${deliveredRows} deliveries sent`);
}
if (syncResult.code !== 0 || !syncRun || syncRun.done !== syncRun.total || syncRun.failed > 0) {
  problems.push(`the sync did not finish cleanly: ${JSON.stringify(syncRun)} ${syncOutput.split("\n").at(-2) ?? ""}`);
}
log(problems.length ? `\nFAILED:\n- ${problems.join("\n- ")}` : "\nall invariants hold");
if (args.json) {
  process.stdout.write(
    `MIXED_RESULT ${JSON.stringify({
      requests: tally.requests,
      statuses: tally.statuses,
      serverErrors: tally.serverErrors,
      lockedBodies: tally.lockedBodies,
      networkErrors: tally.networkErrors,
      acknowledged: tally.acknowledged,
      stored,
      digest: { status: digestResult.status, emails: digestEmails.length, deliveries: deliveredRows },
      digestOverlapped: digestStarted < loadEnded,
      syncOverlapped: syncStarted < loadEnded,
      sync: { code: syncResult.code, run: syncRun },
      problems,
    })}\n`,
  );
}
process.exit(problems.length ? 1 : 0);
