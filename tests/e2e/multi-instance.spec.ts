// Two server processes on one database, as with `fly scale count 2`: the rules that must hold
// across instances do. Only one digest run sends although both schedulers are on, write rate
// limits count hits on both, a session made on one works on the other (and ends on both), and a
// write on one is seen by anonymous visitors of the other despite its page cache.
// Each group runs twice: on one SQLite file (two processes on one machine) and on a libSQL server
// (the Hrana stand-in on the real libSQL engine, tests/fakes/hrana.ts), as two machines would share
// a database. A last group freezes and then stops the libSQL server under a running instance.
// The instances listen on 3172 and 3173, the Resend stand-in on 3174 and the libSQL stand-in on 3176
// (the suite's demo server may hold E2E_PORT); every process is killed after its group, whatever
// the outcome.
import { expect, test, type Page } from "@playwright/test";
import type { Client } from "@libsql/client";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startResendStandIn, type ResendStandIn } from "../fakes/resend.ts";
import { startHranaStandIn, type HranaStandIn } from "../fakes/hrana.ts";
import { openDatabase } from "#tests/support/e2e.ts";
import { startServer as startProcess } from "#tests/support/server-process.ts";

const PORTS = { a: 3172, b: 3173, resend: 3174, nothing: 3175, libsql: 3176 } as const;
const A = `http://127.0.0.1:${PORTS.a}`;
const B = `http://127.0.0.1:${PORTS.b}`;
const INTERNAL_TOKEN = "multi-instance-internal-token-0123456789";
const RESEND_KEY = "re_multi_instance_0123456789";
const WRITES_PER_MINUTE = 4;

type Server = { child: ChildProcess; output: () => string; exited: Promise<unknown> };

// If the test process itself goes away, the servers it started go with it.
const running = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

function startServer(env: Record<string, string>): Server {
  const server = startProcess(env);
  running.add(server.child);
  return { ...server, exited: server.exited.finally(() => running.delete(server.child)) };
}

/** Kills what is still running and waits for it, so the ports are free for the next group. */
async function stopAll(servers: Server[]) {
  for (const s of servers) if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill("SIGKILL");
  await Promise.all(servers.map((s) => s.exited));
  servers.length = 0;
}

/** Polls `check` until it returns a value other than undefined, or fails after `ms`. */
async function waitFor<T>(what: string, check: () => Promise<T | undefined>, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function waitForHealth(base: string, server: Server) {
  await waitFor(`${base}/healthz`, async () => {
    if (server.child.exitCode !== null) throw new Error(`server exited:\n${server.output()}`);
    const response = await fetch(`${base}/healthz`).catch(() => undefined); // not listening yet
    return response?.status === 200 ? true : undefined;
  }).catch((error: Error) => {
    throw new Error(`${error.message}\n${server.output()}`);
  });
}

/** A POST from a given loopback address, so each attempt is a new client for the rate limiter. */
function postFrom(localAddress: string, url: string): Promise<{ status: number; headers: Record<string, string> }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: "POST", localAddress, agent: false, headers: { "content-length": "0" } });
    req.on("response", (res) => {
      res.resume();
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers as unknown as Record<string, string> }),
      );
    });
    req.on("error", reject);
    req.end();
  });
}

const tempDir = () => mkdtempSync(join(tmpdir(), "roadies-multi-"));

/** Where the instances' database lives: its URL, and how to stop it after the group. */
type Store = { url: string; server?: HranaStandIn; close(): Promise<void> };
const stores: { name: string; open(dir: string): Promise<Store> }[] = [
  {
    name: "one SQLite file",
    open: async (dir) => ({ url: `file:${join(dir, "roadies.db")}`, close: async () => {} }),
  },
  {
    name: "a libSQL server",
    open: async (dir) => {
      const server = await startHranaStandIn({ directory: dir, port: PORTS.libsql });
      return { url: server.urlFor("roadies"), server, close: () => server.close() };
    },
  },
];

for (const storeOf of stores) {
  test.describe(`two production instances on ${storeOf.name}, both schedulers on`, () => {
    test.describe.configure({ mode: "serial", timeout: 90_000 });
    const servers: Server[] = [];
    let dir: string;
    let store: Store | undefined;
    let resend: ResendStandIn;
    let database: Client;
    let plan: { week: string; emails: string[] };

    test.beforeAll(async () => {
      test.setTimeout(90_000);
      dir = tempDir();
      store = await storeOf.open(dir);
      const databaseUrl = store.url;
      // The digest is due as soon as an instance checks: Monday, 00:00 UTC, caught up at once.
      const digest = { DIGEST_DAY: "1", DIGEST_TIME: "00:00", DIGEST_RATE_PER_SECOND: "50" };
      const seed = spawn(process.execPath, ["--import", "tsx", "tests/e2e/multi-instance-seed.ts"], {
        env: { PATH: process.env.PATH ?? "", NODE_ENV: "test", DATABASE_URL: databaseUrl, ...digest },
        stdio: ["ignore", "pipe", "inherit"],
      });
      let seedOutput = "";
      seed.stdout.on("data", (chunk) => (seedOutput += chunk));
      expect(await new Promise((resolve) => seed.once("exit", resolve))).toBe(0);
      const line = seedOutput.split("\n").find((l) => l.startsWith("RECIPIENTS "));
      plan = JSON.parse(line!.slice("RECIPIENTS ".length)) as typeof plan;
      expect(plan.emails.length).toBeGreaterThanOrEqual(5);

      resend = await startResendStandIn({ port: PORTS.resend, apiKey: RESEND_KEY, rateLimitPerSecond: null });
      database = await openDatabase(databaseUrl);
      const common = {
        NODE_ENV: "production",
        HOST: "127.0.0.1",
        // One public address for both, as behind Fly's proxy.
        APP_URL: A,
        DATABASE_URL: databaseUrl,
        SESSION_SECRET: "s".repeat(40),
        GITHUB_CLIENT_ID: "Iv1.multi",
        GITHUB_CLIENT_SECRET: "multi-secret",
        RESEND_API_KEY: RESEND_KEY,
        RESEND_BASE_URL: resend.url,
        EMAIL_FROM: "Roadies <roadies@example.org>",
        RESEND_WEBHOOK_SECRET: "whsec_multi",
        INTERNAL_API_TOKEN: INTERNAL_TOKEN,
        TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 5).toString("base64"),
        // The daily package sync must not reach the internet: nothing listens here.
        PYPI_URL: `http://127.0.0.1:${PORTS.nothing}`,
        SCHEDULER: "on",
        RATE_LIMIT_WRITES_PER_MINUTE: String(WRITES_PER_MINUTE),
        ...digest,
      };
      const a = startServer({ ...common, PORT: String(PORTS.a) });
      const b = startServer({ ...common, PORT: String(PORTS.b) });
      servers.push(a, b);
      await Promise.all([waitForHealth(A, a), waitForHealth(B, b)]);
    });

    test.afterAll(async () => {
      await stopAll(servers);
      database?.close();
      await resend?.close();
      await store?.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    test("the due digest goes out once: one run for the week, one email per eligible person", async () => {
      const digestEmails = () => resend.sent().filter((e) => e.tags.some((t) => t.value === "digest"));
      const runOfWeek = async () => {
        const { rows } = await database.execute({
          sql: "SELECT status FROM digest_runs WHERE week = ?",
          args: [plan.week],
        });
        return rows.map((r) => r.status as string);
      };

      // A scheduler (on one instance or the other) runs the due digest by itself.
      await waitFor("the scheduled digest run to finish", async () =>
        (await runOfWeek())[0] === "finished" ? true : undefined,
      );
      expect(
        digestEmails()
          .map((e) => e.to.join())
          .sort(),
      ).toEqual([...plan.emails].sort());

      // An external scheduler fires the job at both instances at once: nobody gets a second email.
      const fire = (base: string) =>
        fetch(`${base}/internal/jobs/digest`, {
          method: "POST",
          headers: { Authorization: `Bearer ${INTERNAL_TOKEN}` },
        });
      const answers = await Promise.all([fire(A), fire(B)]);
      const statuses = answers.map((r) => r.status).sort();
      expect([
        [200, 200],
        [200, 409],
      ]).toContainEqual(statuses);
      for (const answer of answers) {
        const body = (await answer.json()) as { sent?: number; alreadySent?: number; error?: string };
        if (answer.status === 200) expect(body).toMatchObject({ sent: 0, alreadySent: plan.emails.length });
        else expect(body.error).toBe("a digest run is already in progress");
      }

      expect(await runOfWeek()).toEqual(["finished"]);
      const recipients = digestEmails().map((e) => e.to.join());
      expect(recipients.sort()).toEqual([...plan.emails].sort());
      expect(new Set(recipients).size).toBe(recipients.length);
      const { rows } = await database.execute({
        // Whether each digest went out is the email ledger's to say.
        sql: `SELECT e.status, count(*) AS n FROM digest_deliveries d
              LEFT JOIN email_deliveries e ON e.idempotency_key = d.email_key WHERE d.week = ? GROUP BY e.status`,
        args: [plan.week],
      });
      expect(rows.map((r) => ({ status: r.status, n: Number(r.n) }))).toEqual([
        { status: "sent", n: plan.emails.length },
      ]);
      // The operator's view in the logs of both instances: exactly one run sent anything.
      const finishedRuns = servers
        .flatMap((s) => s.output().split("\n"))
        .filter((l) => l.includes('"msg":"digest run finished"'))
        .map((l) => JSON.parse(l) as { sent: number });
      expect(finishedRuns.filter((r) => r.sent > 0)).toEqual([expect.objectContaining({ sent: plan.emails.length })]);
    });

    test("write rate limits count hits on both instances: N in total, then 429 with Retry-After on either", async () => {
      // A client is one address; each attempt takes a new one. An attempt that straddles the
      // limiter's one-minute window would see the counter restart, so it is tried again.
      for (let attempt = 2; ; attempt++) {
        const client = `127.0.0.${attempt}`;
        const window = () => Math.floor(Date.now() / 60_000);
        const startedIn = window();
        // Twice the limit, half to each instance, all at once.
        const burst = await Promise.all(
          Array.from({ length: 2 * WRITES_PER_MINUTE }, (_, i) => postFrom(client, `${i % 2 ? B : A}/logout`)),
        );
        const after = await Promise.all([postFrom(client, `${A}/logout`), postFrom(client, `${B}/logout`)]);
        if (window() !== startedIn && attempt < 5) continue;

        const allowed = burst.filter((r) => r.status !== 429);
        expect(allowed).toHaveLength(WRITES_PER_MINUTE);
        for (const r of allowed) expect(r.status).toBe(302);
        // One counter behind both: the remaining counts are WRITES_PER_MINUTE-1 .. 0, each once.
        expect(allowed.map((r) => Number(r.headers["ratelimit-remaining"])).sort()).toEqual(
          Array.from({ length: WRITES_PER_MINUTE }, (_, i) => i),
        );
        for (const r of [...burst.filter((x) => x.status === 429), ...after]) {
          expect(r.status).toBe(429);
          expect(Number(r.headers["retry-after"])).toBeGreaterThan(0);
          expect(Number(r.headers["retry-after"])).toBeLessThanOrEqual(60);
        }
        // Another client is not affected by this one's hits.
        expect((await postFrom(`127.0.0.${attempt + 100}`, `${B}/logout`)).status).toBe(302);
        return;
      }
    });
  });

  test.describe(`two demo instances on ${storeOf.name}: sessions and page cache`, () => {
    test.describe.configure({ mode: "serial", timeout: 90_000 });
    const servers: Server[] = [];
    let dir: string;
    let store: Store | undefined;
    let database: Client;

    test.beforeAll(async () => {
      test.setTimeout(90_000);
      dir = tempDir();
      store = await storeOf.open(dir);
      const databaseUrl = store.url;
      database = await openDatabase(databaseUrl);
      // Each instance signs people in through the GitHub stand-in it mounts at its own address.
      const common = { NODE_ENV: "production", DEMO_MODE: "true", DATABASE_URL: databaseUrl, SCHEDULER: "on" };
      // A migrates and seeds the demo data; B starts on the prepared database.
      const a = startServer({ ...common, PORT: String(PORTS.a) });
      servers.push(a);
      await waitForHealth(A, a);
      const b = startServer({ ...common, PORT: String(PORTS.b) });
      servers.push(b);
      await waitForHealth(B, b);
    });

    test.afterAll(async () => {
      await stopAll(servers);
      database?.close();
      await store?.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    async function signInOn(page: Page, base: string, login: string) {
      await page.goto(`${base}/login`);
      await page.getByRole("button", { name: "Sign in with GitHub" }).click();
      await expect(page).toHaveURL(new RegExp(`^${base}/_demo/github/login/oauth/authorize`));
      await page.getByRole("button", { name: new RegExp(login) }).click();
      await expect(page).toHaveURL(`${base}/`);
    }

    test("a session made on A works on B, and signing out on B ends it on A", async ({ page, context }) => {
      await signInOn(page, A, "chiara-demo");
      const [cookie] = (await context.cookies(A)).filter((c) => c.name.endsWith("roadies_session"));
      expect(cookie).toBeDefined();
      const header = { Cookie: `${cookie!.name}=${cookie!.value}` };

      // B never saw this sign-in, yet knows the person.
      await page.goto(`${B}/settings/sessions`);
      await expect(page.getByRole("heading", { name: "Your sessions" })).toBeVisible();
      await expect(page.getByRole("banner").locator("summary")).toContainText("Chiara");
      const onA = await fetch(`${A}/settings/sessions`, { headers: header, redirect: "manual" });
      expect(onA.status).toBe(200);
      expect(await onA.text()).toContain("This browser");

      await page.getByRole("banner").locator("summary").click();
      await page.getByRole("banner").getByRole("button", { name: "Sign out" }).click();
      await expect(page.getByRole("banner").getByRole("link", { name: "Sign in" })).toBeVisible();

      // The old cookie, replayed on A, no longer signs anyone in.
      for (const base of [A, B]) {
        const after = await fetch(`${base}/settings/sessions`, { headers: header, redirect: "manual" });
        expect(after.status).toBe(302);
        expect(after.headers.get("location")).toBe("/login?next=%2Fsettings%2Fsessions");
      }
    });

    test("a change saved on A reaches anonymous visitors of B, whose copy of the page was cached", async ({ page }) => {
      const profile = `${B}/people/chiara-demo`;
      const generation = async () => {
        const { rows } = await database.execute("SELECT value FROM app_state WHERE key = 'public-content'");
        return Number(rows[0]?.value ?? 0);
      };
      await signInOn(page, A, "chiara-demo");
      await page.goto(`${A}/settings/profile`);
      // Before the change, B serves the public profile from its page cache.
      await waitFor("B to serve the profile from its cache", async () => {
        const response = await fetch(profile);
        await response.arrayBuffer();
        return response.status === 200 && response.headers.get("x-cache") === "hit" ? true : undefined;
      });
      const before = await generation();

      const bio = `Written on instance A, ${Date.now().toString(36)}.`;
      await page.getByLabel("About you").fill(bio);
      await page.getByRole("button", { name: "Save profile" }).click();
      await expect(page.getByText("Profile saved.")).toBeVisible();

      // Seen on B within the documented freshness (B re-reads the generation at most once a second).
      await waitFor(
        "B's anonymous page to show the new text",
        async () => ((await (await fetch(profile)).text()).includes(bio) ? true : undefined),
        15_000,
      );
      expect(await generation()).toBeGreaterThan(before);
    });
  });
}

test.describe("an instance whose libSQL server freezes, then refuses connections", () => {
  test.describe.configure({ mode: "serial", timeout: 90_000 });
  const DEADLINE_MS = 1500;
  const servers: Server[] = [];
  let dir: string;
  let store: Store | undefined;

  test.beforeAll(async () => {
    test.setTimeout(90_000);
    dir = tempDir();
    store = await stores[1]!.open(dir);
    const a = startServer({
      NODE_ENV: "production",
      DEMO_MODE: "true",
      DATABASE_URL: store.url,
      DATABASE_TIMEOUT_MS: String(DEADLINE_MS),
      PORT: String(PORTS.a),
    });
    servers.push(a);
    await waitForHealth(A, a);
  });

  test.afterAll(async () => {
    await stopAll(servers);
    await store?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** A page this instance has not cached yet, so its answer needs the database. */
  const timed = async (path: string) => {
    const started = Date.now();
    const response = await fetch(`${A}${path}`, { redirect: "manual" });
    return {
      status: response.status,
      headers: response.headers,
      body: await response.text(),
      ms: Date.now() - started,
    };
  };

  test("pages and /healthz answer 503 within the deadline, then recover by themselves", async () => {
    const server = store!.server!;
    server.freeze();
    try {
      const health = await timed("/healthz");
      expect(health.status).toBe(503);
      expect(JSON.parse(health.body)).toEqual({ status: "unavailable" });
      expect(health.ms).toBeLessThan(DEADLINE_MS * 3);
      const page = await timed("/calls");
      expect(page.status).toBe(503);
      expect(page.headers.get("retry-after")).toBe("5");
      expect(page.body).toContain("Nothing was half-saved");
      expect(page.ms).toBeLessThan(DEADLINE_MS * 4);
    } finally {
      server.unfreeze();
    }
    await waitFor("/healthz to answer 200 again", async () =>
      (await timed("/healthz")).status === 200 ? true : undefined,
    );
    expect((await timed("/calls")).status).toBe(200);

    await server.refuse();
    try {
      const health = await timed("/healthz");
      expect(health.status).toBe(503);
      expect(health.ms).toBeLessThan(DEADLINE_MS * 3);
      const page = await timed("/people");
      expect(page.status).toBe(503);
      expect(page.body).not.toMatch(/ECONNREFUSED|fetch failed|Failed query/);
    } finally {
      await server.restore();
    }
    await waitFor("/healthz to answer 200 again", async () =>
      (await timed("/healthz")).status === 200 ? true : undefined,
    );
    expect((await timed("/people")).status).toBe(200);
  });
});
