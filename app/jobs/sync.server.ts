// Package metadata sync at the ecosystem's scale: PyPI's JSON API, GitHub's REST API and
// pypistats.org's downloads for each package (app/models/ecosystem/package-sync.server.ts), then each
// verified maintainer is re-checked (maintainer-checks.server.ts). Called by `npm run sync` and the
// daily schedule; `npm run bench:sync` measures it on 5,000 packages against the stand-ins.
//
// - Packages are read a page at a time (keyset on the normalised name), never the whole table.
// - A few workers sync a page's packages side by side; each service has one pacer, so GitHub's
//   X-RateLimit-Remaining/Reset and pypistats.org's 429 + Retry-After pause every worker at once.
// - Progress is written as it goes; a run over every package that dies is resumed by the next one,
//   which skips what the crashed run already fetched (sync-queue.server.ts).
import { eq } from "drizzle-orm";
import { db, schema } from "#app/utils/db.server.ts";
import { env } from "#app/utils/env.server.ts";
import { errorFields, log } from "#app/utils/log.server.ts";
import { normalizePackageName } from "#app/models/packages/names.ts";
import { recheckMaintainers } from "#app/models/packages/maintainer-checks.server.ts";
import { bumpPublicContent } from "#app/utils/page-cache.server.ts";
import { DOWNLOADS_FRESH_MS } from "#app/models/ecosystem/downloads.server.ts";
import { syncPackage, type PackageOutcome } from "#app/models/ecosystem/package-sync.server.ts";
import { Pacer, type RequestCounts, type SyncService } from "#app/models/ecosystem/sync-http.server.ts";
import {
  countDue,
  findCrashedRun,
  readDuePage,
  type DuePackage,
  type SyncScope,
} from "#app/models/ecosystem/sync-queue.server.ts";

export type { PackageOutcome } from "#app/models/ecosystem/package-sync.server.ts";

export type SyncSummary = {
  runId: number;
  /** The crashed run this one continued, if any. */
  resumedRunId: number | null;
  total: number;
  updated: number;
  unchanged: number;
  failed: number;
  outcomes: PackageOutcome[];
  /** Requests per service, with how many were 304s, 404s and rate-limit answers, and the pauses. */
  requests: Record<SyncService, RequestCounts>;
  durationMs: number;
};

export type SyncOptions = {
  /** Package names to sync; every package when absent. */
  packages?: string[];
  trigger?: "cli" | "schedule" | "demo";
  /** Waits; tests replace it to observe pauses without sleeping. */
  sleep?: (ms: number) => Promise<void>;
  onProgress?: (done: number, total: number, outcome: PackageOutcome) => void;
  attempts?: number;
  baseDelayMs?: number;
  /** A rate-limit pause longer than this fails that request instead of waiting. */
  maxPauseMs?: number;
  /** How long one request may take before it counts as a failed attempt; default 20 s. */
  requestTimeoutMs?: number;
  now?: () => number;
  /** Packages synced side by side; default 4. */
  concurrency?: number;
  /** Packages read per page; default 200. */
  pageSize?: number;
  /** Least time between two requests to pypistats.org; default 500 ms. */
  downloadsIntervalMs?: number;
  /** Least time between two requests to PyPI; default 0 (its CDN serves the JSON API). */
  pypiIntervalMs?: number;
  /** Keep the outcome of each package in the summary; default true (the benchmark turns it off). */
  keepOutcomes?: boolean;
};

const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Syncs the given packages (or all, resuming a crashed run), recording progress; returns the summary. */
export async function runSync(options: SyncOptions = {}): Promise<SyncSummary> {
  const clock = { sleep: options.sleep ?? realSleep, now: options.now ?? Date.now };
  const settings = {
    ...clock,
    attempts: options.attempts ?? 3,
    baseDelayMs: options.baseDelayMs ?? 1000,
    maxPauseMs: options.maxPauseMs ?? 65 * 60 * 1000,
    requestTimeoutMs: options.requestTimeoutMs ?? 20_000,
  };
  const pacers = {
    pypi: new Pacer("pypi", options.pypiIntervalMs ?? 0, clock),
    github: new Pacer("github", 0, clock),
    pypistats: new Pacer("pypistats", options.downloadsIntervalMs ?? 500, clock),
  };
  const started = clock.now();
  const wanted = options.packages?.map(normalizePackageName);
  const crashed = wanted ? null : await findCrashedRun(started);
  const downloadsOn = env().pypistatsUrl !== null;
  const scope: SyncScope = {
    wanted,
    freshSince: crashed?.freshSince ?? started,
    downloadsFreshSince: downloadsOn ? started - DOWNLOADS_FRESH_MS : null,
  };
  const total = await countDue(scope);
  const [run] = await db()
    .insert(schema.syncRuns)
    .values({
      trigger: options.trigger ?? "cli",
      total,
      startedAt: started,
      allPackages: !wanted,
      freshSince: scope.freshSince,
      resumedRunId: crashed?.id ?? null,
    })
    .returning({ id: schema.syncRuns.id });
  const runId = run!.id;
  if (crashed) log.info("package sync resumes a run that did not finish", { runId, resumedRunId: crashed.id });
  const requests = () =>
    Object.fromEntries(Object.entries(pacers).map(([k, p]) => [k, { ...p.counts }])) as SyncSummary["requests"];

  const counts = { updated: 0, unchanged: 0, failed: 0 };
  const outcomes: PackageOutcome[] = [];
  let done = 0;
  let cursor: string | null = null;
  const pageSize = options.pageSize ?? 200;
  const context = { ...settings, pacers, freshSince: scope.freshSince, downloadsFreshSince: scope.downloadsFreshSince };

  const syncOne = async ({ pkg, previous, hasVerifiedMaintainers }: DuePackage): Promise<PackageOutcome> => {
    let outcome: PackageOutcome;
    try {
      outcome = await syncPackage(pkg, previous, context);
    } catch (error) {
      log.error("sync of a package failed", { package: pkg.name, ...errorFields(error) });
      outcome = {
        name: pkg.name,
        result: "failed",
        pypi: "failed",
        github: "failed",
        downloads: "failed",
        error: "unexpected error",
      };
    }
    if (hasVerifiedMaintainers) {
      try {
        const recheck = await recheckMaintainers(pkg, clock.now());
        if (recheck.checked + recheck.unchecked > 0) outcome.maintainers = recheck;
      } catch (error) {
        log.error("re-check of a package's maintainers failed", { package: pkg.name, ...errorFields(error) });
      }
    }
    return outcome;
  };

  for (;;) {
    const page = await readDuePage(scope, cursor, pageSize);
    if (page.length === 0) break;
    cursor = page.at(-1)!.pkg.normalizedName;
    // Workers take the page's packages in turn; outcomes are reported in name order.
    const results: (PackageOutcome | undefined)[] = new Array(page.length);
    let next = 0;
    let reported = 0;
    let failure: unknown = null;
    const report = async () => {
      while (reported < page.length && results[reported]) {
        const outcome = results[reported]!;
        reported++;
        done++;
        counts[outcome.result]++;
        if (options.keepOutcomes !== false) outcomes.push(outcome);
        options.onProgress?.(done, total, outcome);
        if (done % 25 === 0) {
          await db()
            .update(schema.syncRuns)
            .set({ done, ...counts, requests: requests() })
            .where(eq(schema.syncRuns.id, runId));
        }
      }
    };
    const worker = async () => {
      while (failure === null && next < page.length) {
        const i = next++;
        results[i] = await syncOne(page[i]!);
        try {
          await report();
        } catch (error) {
          failure ??= error; // the process "died" here: leave the run unfinished
        }
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency ?? 4, page.length)) }, worker));
    if (failure !== null) throw failure;
    await db()
      .update(schema.syncRuns)
      .set({ done, ...counts, requests: requests() })
      .where(eq(schema.syncRuns.id, runId));
    if (page.length < pageSize) break;
  }

  // Cached anonymous pages show package metadata: let them pick up the new figures (before the run
  // is marked finished, so whoever waits for that sees the pages retired already).
  if (counts.updated > 0) await bumpPublicContent();
  await db()
    .update(schema.syncRuns)
    .set({ done, ...counts, requests: requests(), finishedAt: clock.now() })
    .where(eq(schema.syncRuns.id, runId));
  const summary: SyncSummary = {
    runId,
    resumedRunId: crashed?.id ?? null,
    total,
    ...counts,
    outcomes,
    requests: requests(),
    durationMs: clock.now() - started,
  };
  log.info("package sync finished", { runId, total, ...counts });
  return summary;
}
