// [scale] With the database behind a libSQL server (npm run test:remote: DATABASE_URL=http://…), a
// server that freezes or refuses connections is "busy for a moment" to people: pages answer 503 with
// Retry-After and the busy message within DATABASE_TIMEOUT_MS, /healthz's check says unavailable,
// and both recover by themselves once the server answers again. Also: rows that another instance
// writes through the server are what this one reads (page-cache generations, sessions).
import { afterEach, describe, expect, test, vi } from "vitest";

vi.hoisted(() => {
  process.env.DATABASE_TIMEOUT_MS = "1000";
  process.env.APP_URL = "http://127.0.0.1:3999";
});

import { createClient } from "@libsql/client";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { APP, context } from "#tests/support/routes.ts";
import { remoteDatabase } from "#tests/support/remote-database.ts";
import { databaseIsUp, db, fetchWithDeadline, schema } from "#app/utils/db.server.ts";
import { isDatabaseBusy, withDatabaseBusyAnswers } from "#app/utils/database-busy.server.ts";
import { publicContentGeneration, bumpPublicContent } from "#app/utils/page-cache.server.ts";
import * as callsPage from "#app/routes/calls._index.tsx";

const DEADLINE_MS = 1000;
const build = withDatabaseBusyAnswers({ routes: { "routes/calls._index": { module: callsPage } } });
const callsLoader = build.routes["routes/calls._index"]!.module.loader as (args: object) => Promise<unknown>;

/** The calls page as the server would answer it: its loader's value, or the Response it threw. */
async function callsPageStatus(): Promise<{ status: number; retryAfter: string | null; body: string; ms: number }> {
  const started = Date.now();
  const loadContext: Record<string, unknown> = { ...context };
  try {
    await callsLoader({ request: new Request(`${APP}/calls`), params: {}, context: loadContext });
    return { status: 200, retryAfter: null, body: "", ms: Date.now() - started };
  } catch (thrown) {
    if (!(thrown instanceof Response)) throw thrown;
    return {
      status: thrown.status,
      retryAfter: thrown.headers.get("retry-after"),
      body: await thrown.text(),
      ms: Date.now() - started,
    };
  }
}

afterEach(async () => {
  const server = remoteDatabase();
  server.unfreeze();
  server.slow(0);
  await server.restore().catch(() => {});
});

describe("a database server that stops answering", () => {
  test("pages get the 503 busy answer within the deadline, /healthz says unavailable, and both recover", async () => {
    expect((await callsPageStatus()).status).toBe(200);
    expect(await databaseIsUp()).toBe(true);

    remoteDatabase().freeze();
    const page = await callsPageStatus();
    expect(page.status).toBe(503);
    expect(page.retryAfter).toBe("5");
    expect(page.body).toContain("Nothing was half-saved");
    expect(page.ms).toBeLessThan(DEADLINE_MS * 3);
    const healthStarted = Date.now();
    expect(await databaseIsUp()).toBe(false);
    expect(Date.now() - healthStarted).toBeLessThan(DEADLINE_MS * 2);

    remoteDatabase().unfreeze();
    expect(await databaseIsUp()).toBe(true);
    expect((await callsPageStatus()).status).toBe(200);
  });

  test("a server slower than the deadline is unavailable; one just inside it is not", async () => {
    remoteDatabase().slow(DEADLINE_MS + 300);
    expect(await databaseIsUp()).toBe(false);
    remoteDatabase().slow(DEADLINE_MS / 5);
    expect(await databaseIsUp()).toBe(true);
  });
});

describe("a database server that refuses connections", () => {
  test("pages get the 503 busy answer, not a 500, and recover when it listens again", async () => {
    await remoteDatabase().refuse();
    const page = await callsPageStatus();
    expect(page.status).toBe(503);
    expect(page.body).not.toMatch(/ECONNREFUSED|fetch failed|Failed query/);
    expect(await databaseIsUp()).toBe(false);

    await remoteDatabase().restore();
    expect(await databaseIsUp()).toBe(true);
    expect((await callsPageStatus()).status).toBe(200);
  });

  test("only the database's own network failures count: GitHub or PyPI being unreachable is not a busy database", async () => {
    const elsewhere = await fetch("http://127.0.0.1:9/").catch((e: unknown) => e);
    expect(isDatabaseBusy(elsewhere)).toBe(false);
    await remoteDatabase().refuse();
    const ours = await db()
      .run("SELECT 1")
      .catch((e: unknown) => e);
    expect(isDatabaseBusy(ours)).toBe(true);
  });
});

describe("a proxy in front of the database server that answers for it", () => {
  /** What a query fails with when every answer of the "server" is `status` (a proxy in front of it). */
  async function failureBehind(status: number): Promise<unknown> {
    const proxy = createServer((_req, res) => res.writeHead(status, { "Content-Type": "text/plain" }).end("upstream"));
    await new Promise<void>((listening) => proxy.listen(0, "127.0.0.1", listening));
    const { port } = proxy.address() as AddressInfo;
    const client = createClient({ url: `http://127.0.0.1:${port}`, fetch: fetchWithDeadline(DEADLINE_MS) });
    const failure = await client.execute("SELECT 1").catch((e: unknown) => e);
    client.close();
    proxy.close();
    return failure;
  }

  // Fly's or Turso's edge answers a gateway error while the server behind it restarts.
  test.each([502, 503, 504])(
    "its %i is the database being unavailable (a 503 page), not a failed query",
    async (status) => {
      const failure = await failureBehind(status);
      expect(isDatabaseBusy(failure)).toBe(true);
      const messages: string[] = [];
      for (let e = failure as { message?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
        messages.push(String(e.message));
      }
      expect(messages).toContain(`the database server answered ${status}`);
    },
  );

  test.each([400, 404])("its %i stays an error of the query: it would not get better by waiting", async (status) => {
    const failure = await failureBehind(status);
    expect(failure).toBeInstanceOf(Error);
    expect(isDatabaseBusy(failure)).toBe(false);
  });
});

describe("two instances on one libSQL server", () => {
  test("a change of public content made by another instance is seen here once the memo lapses", async () => {
    const other = createClient({ url: process.env.DATABASE_URL! });
    const before = await publicContentGeneration();
    await other.execute({
      sql: "INSERT INTO app_state (key, value) VALUES ('public-content', 1) ON CONFLICT (key) DO UPDATE SET value = value + 1",
      args: [],
    });
    // This instance memoises the generation briefly; a read after the memo sees the other's bump.
    expect(await publicContentGeneration(Date.now() + 60_000)).toBe(before + 1);
    await bumpPublicContent();
    const seen = await other.execute("SELECT value FROM app_state WHERE key = 'public-content'");
    expect(seen.rows[0]!.value).toBe(before + 2);
    other.close();
  });

  test("the app's statements reach the server as pipelines over the v2 JSON endpoint", async () => {
    const before = remoteDatabase().requests.length;
    await db().select().from(schema.appState).all();
    const sent = remoteDatabase().requests.slice(before);
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.every((r) => r.path === "/test/v2/pipeline")).toBe(true);
  });
});
