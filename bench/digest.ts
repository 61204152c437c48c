// `npm run bench:digest [-- --scale 0.1] [-- --deliver 2000]`: the digest at scale. Builds a
// synthetic dataset (bench/dataset.ts: 50,000 volunteers, 5,000 packages, 10,000 open calls at
// scale 1) in a database of its own, then prints: matching time and peak memory, emails rendered
// per second, the whole dry run's time, delivery against the Resend stand-in limited to 10
// requests/second (achieved / limit), and duplicates. Prints figures; never fails on timing.
import { spawnSync } from "node:child_process";
import { cpus, totalmem } from "node:os";
import { mkdirSync, rmSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: {
    scale: { type: "string", default: "1" },
    deliver: { type: "string" },
    generate: { type: "string" },
    "keep-db": { type: "boolean", default: false },
  },
});
const scale = Number(values.scale);
const size = {
  volunteers: Math.round(50_000 * scale),
  packages: Math.round(5_000 * scale),
  calls: Math.round(10_000 * scale),
};

if (values.generate) {
  // Child phase: build the dataset, so its memory never counts towards the matching's peak.
  process.env.DATABASE_URL = `file:${values.generate}`;
  process.env.NODE_ENV = "test";
  process.env.LOG_LEVEL = "silent";
  const { db, prepareDatabase, closeDatabase } = await import("#app/utils/db.server.ts");
  const { seedReference } = await import("#db/seed.ts");
  const { generateDataset, writeDataset } = await import("./dataset.ts");
  await prepareDatabase();
  await seedReference(db());
  await writeDataset(db(), generateDataset(size));
  await db().run("PRAGMA wal_checkpoint(TRUNCATE)");
  closeDatabase();
  process.exit(0);
}

const LIMIT_PER_SECOND = 10;
const dir = resolve("tests/.tmp");
mkdirSync(dir, { recursive: true });
const file = resolve(dir, `bench-digest-${process.pid}.db`);
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;

console.log(`Machine: ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, ${mb(totalmem())} RAM, Node ${process.version}`);
console.log(`Dataset: ${size.volunteers} volunteers, ${size.packages} packages, ${size.calls} open calls (seed 48)`);

let started = Date.now();
const child = spawnSync(
  process.execPath,
  ["--import", "tsx", "bench/digest.ts", "--generate", file, "--scale", String(scale)],
  {
    stdio: "inherit",
  },
);
if (child.status !== 0) process.exit(child.status ?? 1);
console.log(`Dataset written in ${seconds(Date.now() - started)}`);

const { startResendStandIn } = await import("#tests/fakes/resend.ts");
const standIn = await startResendStandIn({ rateLimitPerSecond: LIMIT_PER_SECOND });
Object.assign(process.env, {
  DATABASE_URL: `file:${file}`,
  NODE_ENV: "test",
  LOG_LEVEL: "silent",
  APP_URL: "https://roadies.example.org",
  RESEND_API_KEY: "re_bench_0123456789",
  RESEND_BASE_URL: standIn.url,
  EMAIL_FROM: "Roadies <roadies@example.org>",
});
delete process.env.DEMO_MODE;

const { closeDatabase } = await import("#app/utils/db.server.ts");
const { createMatcher, loadMatchingData } = await import("#app/models/matching.server.ts");
type Match = import("#app/models/matching.server.ts").Match;
const { buildDigestEmail, runDigest } = await import("#app/jobs/digest.server.ts");
const { defaultPreferences } = await import("#app/models/digest.server.ts");
const { isoWeekOf } = await import("#app/models/digest-weeks.ts");
const { digestSections } = await import("#db/schema/digest.ts");

const week = isoWeekOf(Date.now());
const rssBefore = process.memoryUsage().rss;

// 1. Matching everyone. In a function, so its data can be collected before the dry run loads its own.
type Sample = { id: number; login: string; items: Match[] };
async function matchEveryone() {
  const data = await loadMatchingData(week);
  const loadedMs = Date.now() - started;
  const matcher = createMatcher(data);
  let people = 0;
  let items = 0;
  const samples: Sample[] = [];
  for (const v of data.volunteers.values()) {
    const matches = matcher.matchesFor(v.id, digestSections);
    if (matches.length > 0) {
      people += 1;
      items += matches.length;
      if (samples.length < 1000) samples.push({ id: v.id, login: v.login, items: matches });
    }
  }
  return { loadedMs, people, items, samples };
}
started = Date.now();
const { loadedMs, people, items, samples } = await matchEveryone();
const matchingMs = Date.now() - started;
const peakRss = process.resourceUsage().maxRSS * 1024;
const heapAfter = process.memoryUsage().heapUsed;
console.log(
  `Matching: ${seconds(matchingMs)} (loading ${seconds(loadedMs)}), ${people} people with matches, ${(items / Math.max(1, people)).toFixed(1)} items each; peak RSS ${mb(peakRss)} (before matching ${mb(rssBefore)}, JS heap in use after ${mb(heapAfter)}) — target ≤ 15 s, ≤ 500 MB`,
);

// 2. Rendering digest emails (HTML and text), as sending does.
started = Date.now();
for (const s of samples) {
  // Building the email renders its HTML (synchronously) and writes its text part, as sending does.
  const email = buildDigestEmail(
    { id: s.id, login: s.login, name: null, email: `${s.login}@bench.roadies.invalid`, prefs: defaultPreferences },
    week,
    s.items,
  );
  if (!email.html || !email.text) throw new Error("the digest was not rendered");
}
const renderMs = Date.now() - started;
console.log(
  `Rendering: ${Math.round(samples.length / (renderMs / 1000))} emails/s (${samples.length} emails) — target ≥ 500/s`,
);

// 3. The whole dry run (load, match, plan), as `npm run digest -- --dry-run` does.
started = Date.now();
const dry = await runDigest({ week, dryRun: true });
console.log(`Dry run: ${seconds(Date.now() - started)} for ${dry.recipients} recipients`);

// 4. Delivery against the stand-in limited to 10 requests/second.
const deliver = Number(values.deliver ?? Math.min(3000, dry.recipients));
let sendingFrom = 0;
started = Date.now();
const real = await runDigest({
  week,
  limit: deliver,
  ratePerSecond: LIMIT_PER_SECOND,
  onProgress: ({ done }) => {
    if (done === 0) sendingFrom = Date.now();
  },
});
const sendingMs = Date.now() - sendingFrom;
const accepted = standIn.requests().filter((r) => r.status === 200).length;
const limited = standIn.requests().filter((r) => r.status === 429).length;
const achieved = accepted / (sendingMs / 1000);
const counts = new Map<string, number>();
for (const e of standIn.sent()) counts.set(e.to[0]!, (counts.get(e.to[0]!) ?? 0) + 1);
const duplicates = [...counts.values()].filter((n) => n > 1).length;
console.log(
  `Delivery: ${real.sent} emails in ${accepted} batch requests over ${seconds(sendingMs)} = ${achieved.toFixed(2)} req/s of ${LIMIT_PER_SECOND} (${Math.round((achieved / LIMIT_PER_SECOND) * 100)}%), ${limited} answered 429 — target ≥ 90%`,
);

// 5. A rerun for the same week sends nothing new.
const before = standIn.sent().length;
await runDigest({ week, limit: deliver, ratePerSecond: LIMIT_PER_SECOND });
const rerunSends = standIn.sent().length - before;
const afterCounts = new Map<string, number>();
for (const e of standIn.sent()) afterCounts.set(e.to[0]!, (afterCounts.get(e.to[0]!) ?? 0) + 1);
const duplicatesAfter = [...afterCounts.values()].filter((n) => n > 1).length;
console.log(
  `Duplicates: ${duplicates} after the run, ${duplicatesAfter} after a rerun (${rerunSends} new emails, all to new people) — must be 0`,
);

closeDatabase();
await standIn.close();
if (!values["keep-db"]) for (const suffix of ["", "-wal", "-shm"]) rmSync(`${file}${suffix}`, { force: true });
