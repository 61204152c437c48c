// `npm run bench:sync [-- --packages 5000]`: the package metadata sync at the ecosystem's scale,
// against the PyPI, GitHub and pypistats.org stand-ins (tests/fakes/), in a database of its own.
// GitHub allows 5,000 requests an hour (a sync token's allowance), pypistats.org 180 a minute; the
// sync paces itself with its production settings. Waits (pacing, rate-limit pauses) run on a
// simulated clock shared with the stand-ins, so the benchmark takes minutes, and prints both the
// wall time of the work and the time the waits would add in production. Runs:
//   1. cold: nothing synced yet (every answer a 200);
//   2. an hour later: ETags sent, PyPI and GitHub answer 304, downloads are fresh and not asked;
//   3. the next day: 304s again, 2 % of the projects changed, downloads asked again;
//   4. the day after: the process dies half-way, and the next run resumes where it stopped.
// Prints figures; never fails on timing.
import { cpus, loadavg, totalmem } from "node:os";
import { mkdirSync, rmSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { createPyPIStandIn, type PyPIProject } from "#tests/fakes/pypi.ts";
import { createGitHubStandIn } from "#tests/fakes/github.ts";
import { createPyPIStatsStandIn } from "#tests/fakes/pypistats.ts";

const { values } = parseArgs({ options: { packages: { type: "string", default: "5000" } } });
const count = Number(values.packages);
const HOUR = 60 * 60 * 1000;

// ---- the simulated clock: real time plus every wait the sync asked for --------------------------
let skew = 0;
const now = () => Date.now() + skew;
const sleep = async (ms: number) => {
  skew += ms;
};

// ---- the stand-ins, with synthetic packages (names that are plainly not real ones) -------------
const names = Array.from({ length: count }, (_, i) => `bench-pkg-${String(i + 1).padStart(5, "0")}`);
const notOnPyPI = new Set(names.filter((_, i) => i % 100 === 37)); // 1 %: PyPI and pypistats answer 404
const noRepository = new Set(names.filter((_, i) => i % 100 === 71)); // 1 %: GitHub answers 404
const project = (name: string, version = "1.0.0"): PyPIProject => ({
  name,
  requiresPython: ">=3.10",
  classifiers: ["Framework :: Django", "Framework :: Django :: 5.2", "Framework :: Django :: 6.0"],
  license: "MIT License",
  projectUrls: { Source: `https://github.com/bench-org/${name}` },
  releases: [
    { version: "0.9.0", uploadedOn: "2025-03-01" },
    { version, uploadedOn: "2026-06-01" },
  ],
});
const pypi = createPyPIStandIn(names.filter((n) => !notOnPyPI.has(n)).map((n) => project(n)));
const github = createGitHubStandIn({
  now,
  identities: [
    {
      id: 990001,
      login: "roadies-bench-sync",
      name: null,
      createdAt: "2020-01-01T00:00:00Z",
      emails: [{ email: "bench@example.org", primary: true, verified: true }],
    },
  ],
  repos: names
    .filter((n) => !noRepository.has(n))
    .map((name, i) => ({ owner: "bench-org", name, stars: 10 + ((i * 37) % 5000), permissions: {} })),
});
const stats = createPyPIStatsStandIn(
  Object.fromEntries(
    names
      .filter((n) => !notOnPyPI.has(n))
      .map((n, i) => [n, { lastDay: 100 + i, lastWeek: 700 + i * 7, lastMonth: 3000 + i * 30 }]),
  ),
  { now },
);
const [pypiServer, githubServer, statsServer] = await Promise.all([pypi.listen(), github.listen(), stats.listen()]);

const dir = resolve("tests/.tmp");
mkdirSync(dir, { recursive: true });
const file = resolve(dir, `bench-sync-${process.pid}.db`);
process.env.DATABASE_URL = `file:${file}`;
process.env.NODE_ENV = "test";
process.env.LOG_LEVEL = "silent";
process.env.SCHEDULER = "off";
delete process.env.DEMO_MODE;
process.env.PYPI_URL = pypiServer.url;
process.env.PYPISTATS_URL = statsServer.url;
process.env.GITHUB_API_URL = `${githubServer.url}/api`;
process.env.GITHUB_SYNC_TOKEN = github.issueToken("roadies-bench-sync");

const { db, schema, prepareDatabase, closeDatabase } = await import("#app/utils/db.server.ts");
const { runSync } = await import("#app/jobs/sync.server.ts");
type Summary = Awaited<ReturnType<typeof runSync>>;

const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(" / ");
console.log(
  `Machine: ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, ${mb(totalmem())} RAM, Node ${process.version}, ${process.platform}`,
);
console.log(`Load average (1/5/15 min) at start: ${load()}`);
console.log(
  `Packages: ${count} (${notOnPyPI.size} not on PyPI, ${noRepository.size} without a GitHub repository); ` +
    `GitHub allows 5000 requests/hour, pypistats.org 180/minute; stand-ins in this process, database ${file}`,
);

await prepareDatabase();
for (let i = 0; i < names.length; i += 500) {
  await db()
    .insert(schema.packages)
    .values(
      names.slice(i, i + 500).map((name) => ({
        name,
        normalizedName: name,
        repository: `bench-org/${name}`,
        createdAt: 1,
        updatedAt: 1,
      })),
    );
}

function print(label: string, s: Summary, wallMs: number, waitedMs: number) {
  console.log(`\n${label}`);
  console.log(
    `  ${s.total} package(s) to sync${s.resumedRunId ? ` (resuming run ${s.resumedRunId})` : ""}: ` +
      `${s.updated} updated, ${s.unchanged} unchanged, ${s.failed} failed`,
  );
  console.log(
    `  wall time ${(wallMs / 1000).toFixed(1)} s (${((wallMs / Math.max(1, s.total)) * 1000).toFixed(0)} µs a package)` +
      ` + waits in production ${(waitedMs / 60_000).toFixed(1)} min (pacing and rate-limit pauses, simulated)`,
  );
  for (const [service, c] of Object.entries(s.requests)) {
    console.log(
      `  ${service.padEnd(9)} ${String(c.requests).padStart(5)} requests: ${c.ok} × 200, ${c.notModified} × 304, ` +
        `${c.notFound} × 404, ${c.rateLimited} rate-limited; ${c.pauses} pause(s), ${(c.pausedMs / 60_000).toFixed(1)} min`,
    );
  }
}

async function measure(label: string, options: Parameters<typeof runSync>[0] = {}) {
  const startedWall = Date.now();
  const startedSkew = skew;
  const summary = await runSync({ sleep, now, keepOutcomes: false, ...options });
  print(label, summary, Date.now() - startedWall, skew - startedSkew);
  return summary;
}

await measure("1. Cold: nothing synced yet");
skew += HOUR;
await measure("2. An hour later: conditional requests, downloads still fresh");
skew += 23 * HOUR;
for (const name of names.filter((_, i) => i % 50 === 3 && !notOnPyPI.has(names[i]!))) {
  pypi.setProject(project(name, "1.1.0"));
}
await measure("3. The next day: 2 % of the projects released, downloads asked again");
skew += 24 * HOUR;
const crashStarted = Date.now();
const crashAt = Math.floor(count / 2);
try {
  await runSync({
    sleep,
    now,
    keepOutcomes: false,
    onProgress: (done) => {
      if (done === crashAt) throw new Error("killed");
    },
  });
} catch {
  console.log(
    `\n4. The day after: the process dies after ${crashAt} packages (${((Date.now() - crashStarted) / 1000).toFixed(1)} s)`,
  );
}
await measure("   …and the next run resumes where it stopped");
console.log(`\nPeak memory: ${mb(process.resourceUsage().maxRSS * 1024)} RSS`);
console.log(`Load average (1/5/15 min) at the end: ${load()}`);

closeDatabase();
await Promise.all([pypiServer.close(), githubServer.close(), statsServer.close()]);
for (const suffix of ["", "-wal", "-shm"]) rmSync(`${file}${suffix}`, { force: true });
