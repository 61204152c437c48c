// Reads the environment once, validates it with zod, and says exactly what is wrong. Also the one
// place that decides the app's public URL, for the server and for every command (see appUrlFrom).
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { z } from "zod";

const flag = z
  .enum(["true", "false", "1", "0", ""])
  .optional()
  .transform((v) => v === "true" || v === "1");

const optionalText = z
  .string()
  .optional()
  .transform((v) => (v ? v : undefined));

const raw = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DEMO_MODE: flag,
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: optionalText,
  APP_URL: optionalText.pipe(z.url({ message: "must be a URL such as https://roadies.example.org" }).optional()),
  DATABASE_URL: z
    .string()
    .default("file:data/roadies.db")
    // [scale] ws:// and wss:// are not taken: over WebSockets the client has no per-request deadline
    // (DATABASE_TIMEOUT_MS), so a frozen server would hang every page.
    .refine((v) => /^(file:|libsql:\/\/|https?:\/\/)/.test(v), {
      message: "must start with file:, libsql:// or https:// (ws:// and wss:// are not supported)",
    }),
  DATABASE_AUTH_TOKEN: optionalText,
  // [scale] Deadline of one request to a libSQL server (http(s):// and libsql:// URLs); past it the
  // database counts as unavailable (503 "busy" page, 503 /healthz). Not used with file: URLs.
  DATABASE_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(100, "must be at least 100 (milliseconds)")
    .max(60_000, "must be at most 60000 (milliseconds)")
    .default(4_000),
  SESSION_SECRET: optionalText.pipe(z.string().min(32, "must be at least 32 characters").optional()),
  GITHUB_CLIENT_ID: optionalText,
  GITHUB_CLIENT_SECRET: optionalText,
  GITHUB_OAUTH_URL: optionalText.pipe(z.url().optional()),
  GITHUB_API_URL: optionalText.pipe(z.url().optional()),
  PYPI_URL: optionalText.pipe(z.url().optional()),
  // [directory] pypistats.org's JSON API for downloads; tests leave it unset (no downloads fetched).
  PYPISTATS_URL: optionalText.pipe(z.url().optional()),
  GITHUB_SYNC_TOKEN: optionalText,
  RESEND_API_KEY: optionalText.pipe(z.string().startsWith("re_", "must start with re_").optional()),
  RESEND_BASE_URL: optionalText.pipe(z.url().optional()),
  EMAIL_FROM: optionalText.pipe(
    z
      .string()
      .regex(
        /^(.+<[^<>\s@]+@[^<>\s@]+>|[^<>\s@]+@[^<>\s@]+)$/,
        "must be an address such as Roadies <hello@example.org>",
      )
      .optional(),
  ),
  RESEND_WEBHOOK_SECRET: optionalText.pipe(z.string().startsWith("whsec_", "must start with whsec_").optional()),
  INTERNAL_API_TOKEN: optionalText.pipe(z.string().min(32, "must be at least 32 characters").optional()),
  TOKEN_ENCRYPTION_KEY: optionalText.pipe(
    z
      .string()
      .refine(
        (v) => Buffer.from(v, "base64").length === 32,
        "must be 32 bytes, base64-encoded (openssl rand -base64 32)",
      )
      .optional(),
  ),
  SCHEDULER: z.enum(["on", "off"]).optional(),
  DIGEST_DAY: z.coerce
    .number()
    .int()
    .min(1, "must be 1 (Monday) to 7 (Sunday)")
    .max(7, "must be 1 (Monday) to 7 (Sunday)")
    .default(1),
  DIGEST_TIME: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be HH:MM in UTC, e.g. 09:00")
    .default("09:00"),
  DIGEST_RATE_PER_SECOND: z.coerce.number().positive().default(2),
  DIGEST_LEASE_TTL_MS: z.coerce
    .number()
    .int()
    .min(1000)
    .default(5 * 60_000),
  DIGEST_UNSUBSCRIBE_MAILTO: optionalText.pipe(z.email({ message: "must be an email address" }).optional()),
  RATE_LIMIT_SIGNIN_PER_MINUTE: z.coerce.number().int().min(1).default(10),
  RATE_LIMIT_WRITES_PER_MINUTE: z.coerce.number().int().min(1).default(60),
  // Server processes on this machine, one port (server.ts); each holds 120-200 MB (docs/operations.md).
  WEB_CONCURRENCY: z.coerce
    .number()
    .int()
    .min(1, "must be at least 1 (server processes)")
    .max(64, "must be at most 64 (server processes)")
    .default(1),
  FLY_APP_NAME: optionalText,
});

/** Settings a real deployment cannot run without. */
const requiredInProduction = [
  "APP_URL",
  "SESSION_SECRET",
  "GITHUB_CLIENT_ID",
  "GITHUB_CLIENT_SECRET",
  "RESEND_API_KEY",
  "EMAIL_FROM",
  "RESEND_WEBHOOK_SECRET",
  "INTERNAL_API_TOKEN",
  "TOKEN_ENCRYPTION_KEY",
] as const;

// Fixed, public values for demo, development and tests. Production refuses to start without
// its own (requiredInProduction), so these can never protect real data.
const LOCAL_SESSION_SECRET = "local-only-session-secret-not-for-production";
const LOCAL_TOKEN_KEY = Buffer.alloc(32, 7).toString("base64");
const LOCAL_INTERNAL_TOKEN = "local-only-internal-token-not-for-production";

export type Env = ReturnType<typeof finish>;

function finish(e: z.infer<typeof raw>) {
  const production = e.NODE_ENV === "production" && !e.DEMO_MODE;
  const host = e.HOST ?? (e.DEMO_MODE || !production ? "127.0.0.1" : "0.0.0.0");
  const appUrl = (e.APP_URL ?? `http://${host === "0.0.0.0" ? "127.0.0.1" : host}:${e.PORT}`).replace(/\/$/, "");
  // Demo mode signs in through the GitHub stand-in mounted in our own server.
  const githubOauthUrl = e.DEMO_MODE ? `${appUrl}/_demo/github` : (e.GITHUB_OAUTH_URL ?? "https://github.com");
  const githubApiUrl = e.DEMO_MODE ? `${appUrl}/_demo/github/api` : (e.GITHUB_API_URL ?? "https://api.github.com");
  // Package metadata sync: PyPI's JSON API, or in demo mode the stand-in in our own server.
  const pypiUrl = e.DEMO_MODE ? `${appUrl}/_demo/pypi` : (e.PYPI_URL ?? "https://pypi.org");
  // Downloads over 30 days: pypistats.org, its stand-in in demo mode; off in tests unless set.
  const pypistatsUrl = e.DEMO_MODE
    ? `${appUrl}/_demo/pypistats`
    : (e.PYPISTATS_URL ?? (e.NODE_ENV === "test" ? null : "https://pypistats.org"));
  return {
    nodeEnv: e.NODE_ENV,
    production,
    demo: e.DEMO_MODE,
    port: e.PORT,
    host,
    appUrl,
    /** Where appUrl came from: APP_URL, PORT (and HOST), or a demo server running on this database. */
    appUrlFrom: (e.APP_URL ? "APP_URL" : "PORT") as "APP_URL" | "PORT" | "running demo",
    secureCookies: appUrl.startsWith("https://"),
    databaseUrl: e.DATABASE_URL,
    databaseAuthToken: e.DATABASE_AUTH_TOKEN,
    /** Deadline in ms of one request to a libSQL server (DATABASE_TIMEOUT_MS). */
    databaseTimeoutMs: e.DATABASE_TIMEOUT_MS,
    sessionSecret: e.SESSION_SECRET ?? LOCAL_SESSION_SECRET,
    github: {
      clientId: e.GITHUB_CLIENT_ID ?? "roadies-demo",
      clientSecret: e.GITHUB_CLIENT_SECRET ?? "roadies-demo-secret",
      oauthUrl: githubOauthUrl.replace(/\/$/, ""),
      apiUrl: githubApiUrl.replace(/\/$/, ""),
      /** Optional token for the metadata sync: 5000 requests an hour instead of 60. */
      syncToken: e.GITHUB_SYNC_TOKEN,
    },
    pypiUrl: pypiUrl.replace(/\/$/, ""),
    /** pypistats.org's origin, or null when downloads are not fetched (tests that do not set it). */
    pypistatsUrl: pypistatsUrl?.replace(/\/$/, "") ?? null,
    resend: {
      apiKey: e.RESEND_API_KEY,
      baseUrl: e.RESEND_BASE_URL,
      webhookSecret: e.RESEND_WEBHOOK_SECRET,
    },
    emailFrom: e.EMAIL_FROM ?? "Roadies <roadies@localhost>",
    internalApiToken: e.INTERNAL_API_TOKEN ?? LOCAL_INTERNAL_TOKEN,
    tokenEncryptionKey: Buffer.from(e.TOKEN_ENCRYPTION_KEY ?? LOCAL_TOKEN_KEY, "base64"),
    scheduler: (e.SCHEDULER ?? (e.NODE_ENV === "test" ? "off" : "on")) === "on",
    behindFly: Boolean(e.FLY_APP_NAME),
    /** Server processes sharing the port (WEB_CONCURRENCY): 1, or a primary and this many workers. */
    webConcurrency: e.WEB_CONCURRENCY,
    digest: {
      day: e.DIGEST_DAY,
      minutesAfterMidnight: Number(e.DIGEST_TIME.slice(0, 2)) * 60 + Number(e.DIGEST_TIME.slice(3)),
      ratePerSecond: e.DIGEST_RATE_PER_SECOND,
      leaseTtlMs: e.DIGEST_LEASE_TTL_MS,
      unsubscribeMailto: e.DIGEST_UNSUBSCRIBE_MAILTO,
    },
    rateLimits: { signInPerMinute: e.RATE_LIMIT_SIGNIN_PER_MINUTE, writesPerMinute: e.RATE_LIMIT_WRITES_PER_MINUTE },
  };
}

export type EnvResult = { ok: true; env: Env } | { ok: false; problems: string[] };

/** Validates an environment. Returns every problem, one line each, naming the variable. */
export function parseEnv(source: Record<string, string | undefined>): EnvResult {
  const parsed = raw.safeParse(source);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`),
    };
  }
  const e = parsed.data;
  const problems: string[] = [];
  if (e.DEMO_MODE) {
    for (const name of ["GITHUB_CLIENT_ID", "GITHUB_CLIENT_SECRET", "RESEND_API_KEY"] as const) {
      if (e[name]) problems.push(`${name}: demo mode refuses to start when real credentials are configured`);
    }
    if (e.FLY_APP_NAME) problems.push("DEMO_MODE: demo mode cannot run in a Fly deployment");
    if (e.HOST && !/^(127\.\d+\.\d+\.\d+|localhost|::1)$/.test(e.HOST)) {
      problems.push("HOST: demo mode listens on loopback only");
    }
  } else if (e.NODE_ENV === "production") {
    for (const name of requiredInProduction) {
      if (!e[name]) problems.push(`${name}: required when NODE_ENV=production`);
    }
    if (e.APP_URL && !e.APP_URL.startsWith("https://") && !/^http:\/\/(127\.0\.0\.1|localhost)/.test(e.APP_URL)) {
      problems.push("APP_URL: must use https:// in production");
    }
    if (e.GITHUB_OAUTH_URL || e.GITHUB_API_URL) {
      problems.push("GITHUB_OAUTH_URL: stand-in URLs cannot be used in production");
    }
  }
  if (e.WEB_CONCURRENCY > 1) {
    // Development and tests serve through Vite's dev server; the demo's GitHub and PyPI stand-ins keep
    // their state in memory, which other processes would not see.
    if (e.NODE_ENV !== "production") problems.push("WEB_CONCURRENCY: more than 1 needs NODE_ENV=production");
    if (e.DEMO_MODE) problems.push("WEB_CONCURRENCY: demo mode runs in one process");
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, env: finish(e) };
}

let current: Env | undefined;

/**
 * The validated environment of this process; throws with every problem if it is invalid.
 *
 * The public URL: APP_URL when set, else http://HOST:PORT when PORT is set. A command (`npm run
 * digest`, `npm run sync`, any script) that sets neither, run on the database of a demo server that
 * is running, takes that server's URL and demo mode, so the links it writes open on that server
 * (the demo records itself with recordRunningDemo). The server passes `{ server: true }`: it never
 * takes another process's URL.
 */
export function env(options: { server?: boolean } = {}): Env {
  if (!current) {
    let result = parseEnv(process.env);
    if (result.ok && !options.server) {
      const running = runningDemoOverrides(process.env, result.env);
      if (running) {
        result = parseEnv({ ...process.env, ...running });
        if (result.ok) result.env.appUrlFrom = "running demo";
      }
    }
    if (!result.ok) throw new EnvError(result.problems);
    current = result.env;
  }
  return current;
}

// ---- The running demo's address, for the commands --------------------------------------------

type RunningDemo = { url: string; pid: number };

/** The file next to a local database where its running demo server records its URL; null for a remote one. */
export function runningDemoFile(databaseUrl: string): string | null {
  if (!databaseUrl.startsWith("file:")) return null;
  const path = databaseUrl.slice("file:".length).replace(/^\/\/(?=\/)/, "");
  return `${path}.demo-server.json`;
}

/** Called by a demo server once it listens: commands on the same database then link to it. */
export function recordRunningDemo(e: Env): void {
  const file = runningDemoFile(e.databaseUrl);
  if (!e.demo || !file) return;
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify({ url: e.appUrl, pid: process.pid } satisfies RunningDemo) + "\n");
}

/** Called by a demo server as it stops. Leaves a newer server's record alone. */
export function forgetRunningDemo(e: Env): void {
  const file = runningDemoFile(e.databaseUrl);
  if (!file || readRunningDemo(file)?.pid !== process.pid) return;
  rmSync(file, { force: true });
}

function readRunningDemo(file: string): RunningDemo | null {
  try {
    const parsed = z
      .object({ url: z.url(), pid: z.number().int().positive() })
      .safeParse(JSON.parse(readFileSync(file, "utf8")));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** APP_URL and DEMO_MODE of the demo running on this process's database, when a command should take them. */
function runningDemoOverrides(source: Record<string, string | undefined>, e: Env): Record<string, string> | null {
  if (source.APP_URL || source.PORT || e.production) return null;
  const file = runningDemoFile(e.databaseUrl);
  const running = file ? readRunningDemo(file) : null;
  if (!running || running.pid === process.pid || !isAlive(running.pid)) return null;
  return { APP_URL: running.url, DEMO_MODE: source.DEMO_MODE || "true" };
}

export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.join("\n")}`);
  }
}
