// Several server processes on one port (WEB_CONCURRENCY=2: server.ts and server-workers.ts), as an
// operator runs them on a machine with more than one CPU. The primary migrates a new database once
// and serves nothing; two workers answer; a worker that dies is replaced; SIGTERM stops them all
// once the requests in flight are answered. Which process answered a request is read from the log
// (every line carries its pid), never from the response. Listens on 3192.
import { expect, test } from "@playwright/test";
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { request as httpRequest, type ClientRequest, type IncomingMessage } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDatabase } from "#tests/support/e2e.ts";
import { startServer, type ServerProcess } from "#tests/support/server-process.ts";

const PORT = 3192;
const BASE = `http://127.0.0.1:${PORT}`;

test.describe.configure({ mode: "serial", timeout: 30_000 });

let dir: string;
let server: ServerProcess;
let primary: ChildProcess;
// stdout (every process's info lines: the workers write to the primary's) and stderr, kept apart
// so that their lines never interleave.
const output = () => server.stdout();
const errors = () => server.stderr();

type Line = { pid: number; msg: string; worker?: number; workerPid?: number; requestId?: string };
const lines = (stream = output()) =>
  stream
    .split("\n")
    .slice(0, -1) // the last piece is empty, or a line still being written
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as Line);
/** The worker pids the primary reported starting, by slot, the latest last. */
const started = (slot: number) =>
  lines()
    .filter((l) => l.msg === "worker started" && l.worker === slot)
    .map((l) => l.workerPid!);
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function waitFor<T>(what: string, check: () => Promise<T | undefined> | T | undefined, ms = 20_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}\n${server.output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The pid of the process that answered a GET on a connection of its own (from its request log line). */
async function answeredBy(): Promise<number> {
  const requestId = `worker-test-${Math.random().toString(36).slice(2)}`;
  const status = await new Promise<number | undefined>((resolve, reject) => {
    httpRequest(`${BASE}/favicon.svg`, { agent: false, headers: { "X-Request-Id": requestId } })
      .on("response", (response) => response.resume().on("end", () => resolve(response.statusCode)))
      .on("error", reject)
      .end();
  });
  expect(status).toBe(200);
  const line = await waitFor("the request's log line", () => lines().find((l) => l.requestId === requestId));
  return line.pid;
}

test.beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "roadies-workers-"));
  server = startServer({
    NODE_ENV: "production",
    WEB_CONCURRENCY: "2",
    PORT: String(PORT),
    HOST: "127.0.0.1",
    APP_URL: BASE,
    DATABASE_URL: `file:${join(dir, "roadies.db")}`,
    SESSION_SECRET: "w".repeat(40),
    GITHUB_CLIENT_ID: "Iv1.workers",
    GITHUB_CLIENT_SECRET: "workers-secret",
    RESEND_API_KEY: "re_workers_0123456789",
    EMAIL_FROM: "Roadies <roadies@example.org>",
    RESEND_WEBHOOK_SECRET: "whsec_workers",
    INTERNAL_API_TOKEN: "workers-internal-token-0123456789abcdef",
    TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 9).toString("base64"),
    SCHEDULER: "off",
    LOG_LEVEL: "info",
  });
  primary = server.child;
  await waitFor("both workers listening", () =>
    lines().filter((l) => l.msg === "listening").length >= 2 ? true : undefined,
  );
});

test.afterAll(async () => {
  const pids = [primary.pid!, ...lines().flatMap((l) => (l.workerPid ? [l.workerPid] : []))];
  for (const pid of pids) if (alive(pid)) process.kill(pid, "SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});

test("the primary migrates once and serves nothing; both workers answer on the one port", async () => {
  const workers = [started(1)[0]!, started(2)[0]!];
  expect(new Set([primary.pid, ...workers]).size).toBe(3);
  // The primary ran the start-up before starting any worker, and no worker's start-up failed.
  const order = lines().map((l) => l.msg);
  expect(order.indexOf("starting workers")).toBeLessThan(order.indexOf("worker started"));
  expect(errors()).not.toContain("start-up failed");
  const database = await openDatabase(`file:${join(dir, "roadies.db")}`);
  try {
    const { rows } = await database.execute(
      "SELECT count(*) AS n, count(DISTINCT hash) AS distinct_n FROM __drizzle_migrations",
    );
    const journal = JSON.parse(readFileSync("db/migrations/meta/_journal.json", "utf8")) as { entries: unknown[] };
    expect(rows[0]).toMatchObject({ n: journal.entries.length, distinct_n: journal.entries.length });
  } finally {
    database.close();
  }

  // Connections are dealt out in turn: a few are enough to meet both workers, never the primary.
  const seen = new Set<number>();
  for (let i = 0; i < 20 && seen.size < 2; i++) seen.add(await answeredBy());
  expect([...seen].sort()).toEqual([...workers].sort());
});

test("a worker that dies is replaced in its slot while the other keeps answering", async () => {
  const [victim] = started(2);
  process.kill(victim!, "SIGKILL");
  await waitFor("the worker to be gone", () => (alive(victim!) ? undefined : true));
  // The site answers meanwhile.
  expect(await answeredBy()).not.toBe(victim);
  const replacement = await waitFor("a replacement in slot 2", () => started(2)[1]);
  expect(replacement).not.toBe(victim);
  expect(lines(errors()).find((l) => l.msg === "worker exited, replacing it")).toMatchObject({
    worker: 2,
    workerPid: victim,
  });
  await waitFor("the replacement listening", () =>
    lines().some((l) => l.msg === "listening" && l.pid === replacement) ? true : undefined,
  );
  const seen = new Set<number>();
  for (let i = 0; i < 20 && !seen.has(replacement); i++) seen.add(await answeredBy());
  expect(seen).toContain(replacement);
});

test("SIGTERM stops every process, after the request in flight is answered", async () => {
  const workers = [started(1).at(-1)!, started(2).at(-1)!];
  // A form post whose body is still on its way: the worker holds it (it sent 100 Continue) when
  // the primary is told to stop.
  const body = "intent=logout";
  const post: ClientRequest = httpRequest(`${BASE}/logout`, {
    method: "POST",
    agent: false,
    headers: {
      "Content-Type": "application/x-www-form-urlencoded",
      "Content-Length": String(body.length),
      Expect: "100-continue",
      "X-Request-Id": "worker-test-in-flight",
    },
  });
  const answered = new Promise<IncomingMessage>((resolve, reject) => {
    post.on("response", resolve).on("error", reject);
  });
  await new Promise<void>((resolve) => post.once("continue", resolve));
  primary.kill("SIGTERM");
  await waitFor("every worker shutting down", () =>
    workers.every((pid) => lines().some((l) => l.msg === "shutting down" && l.pid === pid)) ? true : undefined,
  );
  post.end(body);
  const response = await answered;
  response.resume();
  expect(response.statusCode).toBe(302);
  expect(await server.exited).toBe(0);
  for (const pid of workers) expect(alive(pid)).toBe(false);
  // In the order the processes wrote to their shared stdout: the request's line (written as it was
  // answered), its worker's exit, then the primary's last line.
  const written = lines();
  const answeredAt = written.findIndex((l) => l.requestId === "worker-test-in-flight");
  const worker = written[answeredAt]!.pid;
  const workerStoppedAt = written.findIndex((l) => l.msg === "worker stopped" && l.workerPid === worker);
  expect(answeredAt).toBeGreaterThan(-1);
  expect(workerStoppedAt).toBeGreaterThan(answeredAt);
  expect(written.at(-1)).toMatchObject({ pid: primary.pid, msg: "stopped" });
});
