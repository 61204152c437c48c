// Package metadata sync against the PyPI and GitHub stand-ins: 200, 304 with ETags, 404, GitHub's
// rate limit with its reset, a 500 then success, malformed JSON, and one failure not stopping others.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createPyPIStandIn, demoPyPIProjects } from "#tests/fakes/pypi.ts";
import { createGitHubStandIn } from "#tests/fakes/github.ts";

const projects = demoPyPIProjects().filter((p) => ["django-htmx", "django-environ", "channels"].includes(p.name));
const pypi = createPyPIStandIn(projects);
const github = createGitHubStandIn({
  repos: [
    {
      owner: "adamchainz",
      name: "django-htmx",
      stars: 1800,
      openIssues: 7,
      pushedAt: "2026-07-01T10:00:00Z",
      license: "MIT",
      permissions: {},
    },
    {
      owner: "joke2k",
      name: "django-environ",
      stars: 3100,
      openIssues: 90,
      archived: true,
      pushedAt: "2024-01-01T10:00:00Z",
      permissions: {},
    },
    {
      owner: "django",
      name: "channels",
      stars: 6200,
      openIssues: 40,
      pushedAt: "2026-07-21T10:00:00Z",
      license: "BSD-3-Clause",
      permissions: {},
    },
  ],
});
const pypiServer = await pypi.listen();
const githubServer = await github.listen();
process.env.PYPI_URL = pypiServer.url;
process.env.GITHUB_API_URL = `${githubServer.url}/api`;

const { db, schema } = await import("#app/utils/db.server.ts");
const { runSync } = await import("#app/jobs/sync.server.ts");
const { eq } = await import("drizzle-orm");

const noSleep = { sleep: async () => {}, baseDelayMs: 1 };

async function addPackage(name: string, repository: string | null) {
  await db()
    .insert(schema.packages)
    .values({ name, normalizedName: name, repository, createdAt: 1, updatedAt: 1 })
    .onConflictDoNothing();
}
async function metaOf(name: string) {
  const pkg = await db().select().from(schema.packages).where(eq(schema.packages.normalizedName, name)).get();
  const meta = await db()
    .select()
    .from(schema.packageMetadata)
    .where(eq(schema.packageMetadata.packageId, pkg!.id))
    .get();
  return { pkg: pkg!, meta: meta! };
}

beforeAll(async () => {
  pypi.setProject({
    ...projects.find((p) => p.name === "django-htmx")!,
    summary: "Extensions for using Django with htmx.",
  });
  await addPackage("django-htmx", "adamchainz/django-htmx");
  await addPackage("django-environ", "joke2k/django-environ");
  await addPackage("channels", "django/channels");
  await addPackage("not-on-pypi-at-all", "nobody/not-on-pypi-at-all");
});
afterAll(async () => {
  await pypiServer.close();
  await githubServer.close();
});

describe("package metadata sync", () => {
  test("a first sync stores PyPI's and GitHub's metadata, classifiers included; a missing package does not stop the others", async () => {
    const progress: string[] = [];
    const summary = await runSync({
      ...noSleep,
      onProgress: (done, total, o) => progress.push(`${done}/${total} ${o.name}`),
    });
    expect(summary.total).toBe(4);
    expect(summary.updated).toBe(3);
    expect(summary.failed).toBe(0);
    expect(progress).toEqual(["1/4 channels", "2/4 django-environ", "3/4 django-htmx", "4/4 not-on-pypi-at-all"]);
    const missing = summary.outcomes.find((o) => o.name === "not-on-pypi-at-all")!;
    expect(missing.pypi).toBe("missing");
    expect(missing.github).toBe("missing");

    const { pkg, meta } = await metaOf("django-htmx");
    expect(pkg.classifiers).toContain("Framework :: Django :: 6.1");
    // PyPI's one-line summary is what the directory shows; a package without one keeps what it had.
    expect(pkg.description).toBe("Extensions for using Django with htmx.");
    expect((await metaOf("channels")).pkg.description).toBeNull();
    expect(meta.requiresPython).toBe(">=3.10");
    expect(meta.latestReleaseOn).toBe(projects.find((p) => p.name === "django-htmx")!.releases.at(-1)!.uploadedOn);
    expect(meta.githubStars).toBe(1800);
    expect(meta.githubLicense).toBe("MIT");
    expect(meta.pypiEtag).toBeTruthy();
    expect((await metaOf("django-environ")).meta.githubArchived).toBe(true);
    const run = await db().select().from(schema.syncRuns).where(eq(schema.syncRuns.id, summary.runId)).get();
    expect(run).toMatchObject({ total: 4, done: 4, updated: 3, failed: 0 });
    expect(run!.finishedAt).toBeTruthy();
  });

  test("the second sync sends the ETags and counts 304s as unchanged", async () => {
    pypi.requests.length = 0;
    const summary = await runSync({ ...noSleep, packages: ["django-htmx", "channels"] });
    expect(summary).toMatchObject({ total: 2, updated: 0, unchanged: 2, failed: 0 });
    expect(pypi.requests.every((r) => r.status === 304 && r.ifNoneMatch)).toBe(true);
    expect(summary.outcomes.every((o) => o.github === "unchanged")).toBe(true);
  });

  test("a new release on PyPI changes the ETag and is picked up", async () => {
    const htmx = projects.find((p) => p.name === "django-htmx")!;
    pypi.setProject({ ...htmx, releases: [...htmx.releases, { version: "9.9.0", uploadedOn: "2026-11-20" }] });
    const summary = await runSync({ ...noSleep, packages: ["django-htmx"] });
    expect(summary.updated).toBe(1);
    expect((await metaOf("django-htmx")).meta).toMatchObject({ latestVersion: "9.9.0", latestReleaseOn: "2026-11-20" });
  });

  test("a 500 is retried with backoff and then succeeds", async () => {
    pypi.failNext("channels", { status: 500 }, { status: 503 });
    const waits: number[] = [];
    const summary = await runSync({
      packages: ["channels"],
      baseDelayMs: 100,
      sleep: async (ms) => void waits.push(ms),
    });
    expect(summary.failed).toBe(0);
    expect(waits).toEqual([100, 200]);
  });

  test("persistent 5xx and malformed JSON fail that package only, keeping its earlier data", async () => {
    pypi.failNext("channels", { status: 502 }, { status: 502 }, { status: 502 });
    pypi.failNext("django-environ", { malformed: true });
    const before = (await metaOf("channels")).meta;
    const summary = await runSync({ ...noSleep, packages: ["channels", "django-environ", "django-htmx"] });
    expect(summary.failed).toBe(2);
    expect(summary.unchanged).toBe(1);
    expect(summary.outcomes.find((o) => o.name === "channels")!.error).toMatch(/HTTP 502 after 3 attempts/);
    expect(summary.outcomes.find((o) => o.name === "django-environ")!.error).toMatch(/malformed JSON/);
    const after = (await metaOf("channels")).meta;
    expect(after.latestVersion).toBe(before.latestVersion);
    expect(after.lastError).toMatch(/502/);
  });

  test("GitHub's 403 rate limit pauses until the reset instead of failing", async () => {
    github.setRateLimit(0);
    const waits: number[] = [];
    const summary = await runSync({
      packages: ["django-htmx"],
      sleep: async (ms) => {
        waits.push(ms);
        github.setRateLimit(null); // the window resets while we wait
      },
    });
    expect(waits).toHaveLength(1);
    // The stand-in's window resets an hour after it started.
    expect(waits[0]).toBeGreaterThan(50 * 60 * 1000);
    expect(waits[0]).toBeLessThanOrEqual(61 * 60 * 1000);
    expect(summary.failed).toBe(0);
    expect(summary.outcomes[0]!.github).not.toBe("failed");
  });

  test("a rate-limit reset too far away fails GitHub's part but keeps PyPI's", async () => {
    github.setRateLimit(0);
    const summary = await runSync({ ...noSleep, packages: ["django-htmx"], maxPauseMs: 1000 });
    github.setRateLimit(null);
    expect(summary.outcomes[0]).toMatchObject({ result: "failed", github: "failed" });
    expect(summary.outcomes[0]!.pypi).not.toBe("failed");
  });
});
