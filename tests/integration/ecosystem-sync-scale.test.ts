// The package sync at the ecosystem's scale, against the PyPI, GitHub and pypistats.org stand-ins:
// downloads over 30 days (404, 429 + Retry-After, at most once a day), conditional requests whose
// 304s change nothing and cost nothing, pacing on GitHub's X-RateLimit headers, resuming after a
// crash without refetching, and paged reads.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { afterAll, describe, expect, test } from "vitest";
import { createPyPIStandIn, type PyPIProject } from "#tests/fakes/pypi.ts";
import { createGitHubStandIn } from "#tests/fakes/github.ts";
import { createPyPIStatsStandIn } from "#tests/fakes/pypistats.ts";
import { useFreshDatabase } from "#tests/support/database.ts";

const names = ["alpha-widgets", "bravo-forms", "charlie-admin", "delta-cache", "echo-signals", "foxtrot-tasks"];
const project = (name: string): PyPIProject => ({
  name,
  requiresPython: ">=3.10",
  classifiers: ["Framework :: Django", "Framework :: Django :: 5.2"],
  releases: [{ version: "1.0.0", uploadedOn: "2026-09-01" }],
});
const pypi = createPyPIStandIn(names.map(project));
const github = createGitHubStandIn({
  identities: [
    {
      id: 770001,
      login: "roadies-sync",
      name: null,
      createdAt: "2020-01-01T00:00:00Z",
      emails: [{ email: "sync@example.org", primary: true, verified: true }],
    },
  ],
  repos: names.map((name, i) => ({ owner: "scale-org", name, stars: 100 * (i + 1), permissions: {} })),
});
// Every download figure but one: "foxtrot-tasks" is too new for pypistats.org.
const stats = createPyPIStatsStandIn(
  Object.fromEntries(
    names
      .slice(0, 5)
      .map((name, i) => [name, { lastDay: 10 * (i + 1), lastWeek: 70 * (i + 1), lastMonth: 3000 * (i + 1) }]),
  ),
);

/** What GitHub saw: each request's If-None-Match, status and the allowance left after it. */
const githubLog: { path: string; ifNoneMatch: string | null; status: number; remaining: number }[] = [];
const githubServer = createServer((req: IncomingMessage, res: ServerResponse) => {
  res.on("finish", () =>
    githubLog.push({
      path: req.url ?? "",
      ifNoneMatch: (req.headers["if-none-match"] as string | undefined) ?? null,
      status: res.statusCode,
      remaining: Number(res.getHeader("x-ratelimit-remaining")),
    }),
  );
  github.handler(req, res);
});
await new Promise<void>((done) => githubServer.listen(0, "127.0.0.1", done));
const githubPort = (githubServer.address() as { port: number }).port;
const pypiServer = await pypi.listen();
const statsServer = await stats.listen();
process.env.PYPI_URL = pypiServer.url;
process.env.PYPISTATS_URL = statsServer.url;
process.env.GITHUB_API_URL = `http://127.0.0.1:${githubPort}/api`;
process.env.GITHUB_SYNC_TOKEN = github.issueToken("roadies-sync");

const { db, schema } = await import("#app/utils/db.server.ts");
const { runSync } = await import("#app/jobs/sync.server.ts");
const { readDuePage } = await import("#app/models/ecosystem/sync-queue.server.ts");
const { loadHealthInputs } = await import("#app/models/packages/health-data.server.ts");
const { eq } = await import("drizzle-orm");

const noSleep = { sleep: async () => {}, baseDelayMs: 1 };
const HOUR = 60 * 60 * 1000;

async function addPackages(list = names) {
  for (const name of list) {
    await db()
      .insert(schema.packages)
      .values({ name, normalizedName: name, repository: `scale-org/${name}`, createdAt: 1, updatedAt: 1 })
      .onConflictDoNothing();
  }
}
async function metaOf(name: string) {
  const row = await db()
    .select({ meta: schema.packageMetadata })
    .from(schema.packageMetadata)
    .innerJoin(schema.packages, eq(schema.packages.id, schema.packageMetadata.packageId))
    .where(eq(schema.packages.normalizedName, name))
    .get();
  return row!.meta;
}
function clearLogs() {
  pypi.requests.length = 0;
  stats.requests.length = 0;
  githubLog.length = 0;
}

afterAll(async () => {
  await pypiServer.close();
  await statsServer.close();
  await new Promise<void>((done) => {
    githubServer.close(() => done());
    githubServer.closeAllConnections();
  });
});

describe("downloads from pypistats.org", () => {
  useFreshDatabase();

  test("each package's downloads over the last 30 days are stored; a package pypistats.org does not know has none and nothing fails", async () => {
    await addPackages();
    clearLogs();
    const summary = await runSync(noSleep);
    expect(summary.failed).toBe(0);
    expect((await metaOf("charlie-admin")).downloadsLastMonth).toBe(9000);
    expect((await metaOf("charlie-admin")).downloadsSyncedAt).toBeGreaterThan(0);
    const missing = await metaOf("foxtrot-tasks");
    expect(missing.downloadsLastMonth).toBeNull();
    expect(summary.outcomes.find((o) => o.name === "foxtrot-tasks")!.downloads).toBe("missing");
    // pypistats.org is asked for the lower-cased normalised name, once per package.
    expect(stats.requests.map((r) => r.name).sort()).toEqual(names);
    expect(summary.requests.pypistats).toMatchObject({ requests: 6, ok: 5, notFound: 1 });
  });

  test("downloads are asked at most once a day per package, and again the next day", async () => {
    clearLogs();
    const again = await runSync(noSleep);
    expect(stats.requests).toHaveLength(0);
    expect(again.outcomes.every((o) => o.downloads === "fresh")).toBe(true);

    stats.setDownloads("alpha-widgets", { lastDay: 400, lastWeek: 2800, lastMonth: 12_345 });
    const tomorrow = Date.now() + 24 * HOUR;
    const nextDay = await runSync({ ...noSleep, now: () => tomorrow });
    expect(stats.requests).toHaveLength(6);
    expect((await metaOf("alpha-widgets")).downloadsLastMonth).toBe(12_345);
    expect(nextDay.outcomes.find((o) => o.name === "alpha-widgets")!.downloads).toBe("updated");
  });

  test("pypistats.org's 429 pauses every request to it for Retry-After seconds, then the figures arrive", async () => {
    stats.setRateLimit({ requests: 2, windowMs: 60_000 });
    clearLogs();
    const waits: number[] = [];
    const later = Date.now() + 48 * HOUR;
    const summary = await runSync({
      ...noSleep,
      now: () => later,
      downloadsIntervalMs: 0,
      sleep: async (ms) => {
        waits.push(ms);
        stats.setRateLimit({ requests: 2, windowMs: 60_000 }); // the window passes while we wait
      },
    });
    stats.setRateLimit(null);
    expect(summary.failed).toBe(0);
    expect(stats.requests.filter((r) => r.status === 429).length).toBeGreaterThan(0);
    // Retry-After is in seconds: the pause is the window's minute.
    expect(waits.some((ms) => ms >= 59_000 && ms <= 60_000)).toBe(true);
    expect(summary.requests.pypistats.rateLimited).toBeGreaterThan(0);
    expect((await metaOf("echo-signals")).downloadsLastMonth).toBe(15_000);
  });

  test("a 429 asking for a longer wait than allowed fails that part only, keeping the last figure", async () => {
    stats.setRateLimit({ requests: 0, windowMs: 2 * HOUR });
    const later = Date.now() + 72 * HOUR;
    const summary = await runSync({ ...noSleep, now: () => later, packages: ["bravo-forms"], maxPauseMs: 60_000 });
    stats.setRateLimit(null);
    expect(summary.outcomes[0]).toMatchObject({ downloads: "failed", result: "failed" });
    expect(summary.outcomes[0]!.pypi).not.toBe("failed");
    expect((await metaOf("bravo-forms")).downloadsLastMonth).toBe(6000);
  });
});

describe("conditional requests", () => {
  useFreshDatabase();

  test("the next sync sends each ETag as If-None-Match; the 304s change nothing and cost none of GitHub's allowance", async () => {
    github.setRateLimit(null);
    await addPackages();
    await runSync(noSleep);
    const before = await Promise.all(names.map(metaOf));
    clearLogs();
    const summary = await runSync({ ...noSleep, packages: names });

    expect(summary).toMatchObject({ updated: 0, unchanged: 6, failed: 0 });
    expect(githubLog).toHaveLength(6);
    expect(githubLog.every((r) => r.status === 304 && r.ifNoneMatch)).toBe(true);
    expect(pypi.requests.every((r) => r.status === 304 && r.ifNoneMatch)).toBe(true);
    // Authorised 304s are free: the allowance left is the same after each of them.
    expect(new Set(githubLog.map((r) => r.remaining)).size).toBe(1);
    expect(summary.requests.github).toMatchObject({ requests: 6, notModified: 6 });
    const after = await Promise.all(names.map(metaOf));
    const figures = (m: (typeof after)[number]) => ({
      stars: m.githubStars,
      version: m.latestVersion,
      etags: [m.pypiEtag, m.githubEtag],
      downloads: m.downloadsLastMonth,
      error: m.lastError,
    });
    expect(after.map(figures)).toEqual(before.map(figures));
  });
});

describe("GitHub's rate limit", () => {
  useFreshDatabase();

  test("when X-RateLimit-Remaining falls to the reserve, every worker waits for the reset instead of running into 403s", async () => {
    await addPackages();
    github.setRateLimit(4); // reserve: 1 request
    clearLogs();
    const waits: number[] = [];
    const summary = await runSync({
      ...noSleep,
      concurrency: 1,
      downloadsIntervalMs: 0,
      sleep: async (ms) => {
        waits.push(ms);
        github.setRateLimit(4); // the hour passes while we wait
      },
    });
    github.setRateLimit(null);
    expect(summary.failed).toBe(0);
    expect(githubLog.filter((r) => r.status === 403)).toHaveLength(0);
    expect(githubLog.filter((r) => r.status === 200)).toHaveLength(6);
    expect(waits.length).toBeGreaterThanOrEqual(1);
    // The stand-in's window resets an hour after it began.
    expect(waits.every((ms) => ms > 50 * 60 * 1000 && ms <= 61 * 60 * 1000)).toBe(true);
    expect(summary.requests.github.pauses).toBe(waits.length);
  });
});

describe("resuming after a crash", () => {
  useFreshDatabase();

  test("a run over every package that dies midway is continued by the next one, which fetches only what is left", async () => {
    await addPackages();
    clearLogs();
    await expect(
      runSync({
        ...noSleep,
        concurrency: 1,
        pageSize: 2,
        onProgress: (done) => {
          if (done === 3) throw new Error("the process was killed");
        },
      }),
    ).rejects.toThrow("killed");
    const crashed = await db().select().from(schema.syncRuns).orderBy(schema.syncRuns.id).all();
    expect(crashed.at(-1)).toMatchObject({ finishedAt: null, allPackages: true });
    const fetchedBefore = new Set(pypi.requests.map((r) => r.name));
    expect(fetchedBefore).toEqual(new Set(names.slice(0, 3)));

    clearLogs();
    const resumed = await runSync({ ...noSleep, pageSize: 2 });
    expect(resumed.resumedRunId).toBe(crashed.at(-1)!.id);
    expect(resumed.total).toBe(3);
    expect(resumed.outcomes.map((o) => o.name)).toEqual(names.slice(3));
    // Nothing the crashed run fetched is fetched again, from any service.
    expect(new Set(pypi.requests.map((r) => r.name))).toEqual(new Set(names.slice(3)));
    expect(new Set(stats.requests.map((r) => r.name))).toEqual(new Set(names.slice(3)));
    expect(githubLog.map((r) => r.path.split("/").at(-1)).sort()).toEqual(names.slice(3));
    for (const name of names) expect((await metaOf(name)).latestVersion).toBe("1.0.0");

    // Once finished, the next run starts afresh over every package.
    clearLogs();
    const next = await runSync({ ...noSleep, pageSize: 2 });
    expect(next.resumedRunId).toBeNull();
    expect(next.total).toBe(6);
    expect(pypi.requests).toHaveLength(6);
  });

  test("a crashed run more than a day old is not resumed: everything is fetched again", async () => {
    await expect(
      runSync({
        ...noSleep,
        concurrency: 1,
        onProgress: () => {
          throw new Error("killed at once");
        },
      }),
    ).rejects.toThrow("killed");
    clearLogs();
    const tomorrow = Date.now() + 25 * HOUR;
    const summary = await runSync({ ...noSleep, now: () => tomorrow });
    expect(summary.resumedRunId).toBeNull();
    expect(summary.total).toBe(6);
    expect(pypi.requests).toHaveLength(6);
  });
});

describe("paged reads", () => {
  useFreshDatabase();

  test("packages are read a page at a time in name order, and a small page still syncs every package once", async () => {
    await addPackages();
    const scope = { freshSince: Date.now(), downloadsFreshSince: null };
    const first = await readDuePage(scope, null, 4);
    const second = await readDuePage(scope, first.at(-1)!.pkg.normalizedName, 4);
    expect(first.map((r) => r.pkg.name)).toEqual(names.slice(0, 4));
    expect(second.map((r) => r.pkg.name)).toEqual(names.slice(4));

    const seen: string[] = [];
    const summary = await runSync({ ...noSleep, pageSize: 1, onProgress: (_d, _t, o) => void seen.push(o.name) });
    expect(summary.total).toBe(6);
    expect(seen).toEqual(names);
  });

  test("the health rules read every package's metadata across pages, none lost at a page's edge", async () => {
    const many = Array.from({ length: 2100 }, (_, i) => `paged-${String(i).padStart(4, "0")}`);
    for (let i = 0; i < many.length; i += 500) {
      const rows = await db()
        .insert(schema.packages)
        .values(many.slice(i, i + 500).map((name) => ({ name, normalizedName: name, createdAt: 1, updatedAt: 1 })))
        .returning({ id: schema.packages.id });
      await db()
        .insert(schema.packageMetadata)
        .values(rows.map((r) => ({ packageId: r.id, downloadsLastMonth: r.id, updatedAt: 1 })));
    }
    const inputs = await loadHealthInputs();
    const paged = inputs.filter((h) => h.name.startsWith("paged-"));
    expect(paged).toHaveLength(2100);
    expect(paged.every((h) => h.meta?.downloadsLastMonth === h.id)).toBe(true);
  });
});
