// What the Express server (server.ts) needs from the app, exported through entry.server.tsx so
// that the server and the Remix routes share one database connection and one configuration.
import { env, EnvError, type Env } from "#app/utils/env.server.ts";
import { closeDatabase, databaseIsUp, db, prepareDatabase } from "#app/utils/db.server.ts";
import { hitRateLimit, pruneRateLimits, type RateRule } from "#app/utils/rate-limit.server.ts";
import { deleteExpiredSessions } from "#app/utils/session.server.ts";
import { startScheduler } from "#app/jobs/scheduler.server.ts";
import { log, errorFields } from "#app/utils/log.server.ts";
import { seedReference } from "#db/seed.ts";
import { seedDemo } from "#db/demo.ts";
import { runPeopleJobs } from "#app/models/people/jobs.server.ts";
import { runCallsJobs } from "#app/models/calls/calls.server.ts";
import { sweepRequests } from "#app/models/requests/requests.server.ts";
import { runScheduledDigest } from "#app/jobs/digest.server.ts";
import { runDailyEcosystem, startDemoSync } from "#app/jobs/ecosystem.server.ts";

export { EnvError, log, errorFields, hitRateLimit, databaseIsUp };
export {
  PageCache,
  UNCACHED_PATHS,
  pageCacheKey,
  notModified,
  publicContentGeneration,
  bumpPublicContent,
} from "#app/utils/page-cache.server.ts";
export { RenderQueue } from "#app/utils/render-queue.server.ts";
export {
  DATABASE_BUSY_RETRY_AFTER_SECONDS,
  databaseBusyPage,
  isDatabaseBusy,
  withDatabaseBusyAnswers,
} from "#app/utils/database-busy.server.ts";
export type { Env, RateRule };

let stopScheduler: (() => Promise<void>) | undefined;

/** Validates settings, migrates, seeds and starts the scheduler. Throws EnvError on bad settings. */
export async function boot(): Promise<Env> {
  const settings = env();
  await prepareDatabase();
  await seedReference(db());
  if (settings.demo) {
    const { seeded } = await seedDemo(db());
    if (seeded) log.info("demo data seeded");
    // [ecosystem] one metadata sync against the stand-ins, so pages show synced classifiers.
    startDemoSync();
  }
  if (settings.scheduler) {
    stopScheduler = startScheduler([
      {
        name: "housekeeping",
        intervalMs: 60 * 60 * 1000,
        run: async () => {
          await deleteExpiredSessions();
          await pruneRateLimits();
        },
      },
      // [people] roadie and working-group terms: renewal reminders, lapses, transfers needing a roadie.
      { name: "people-terms", intervalMs: 60 * 60 * 1000, run: runPeopleJobs },
      // [calls] expiry, 7-day reminders with renewal links, announcement retries.
      { name: "calls", intervalMs: 5 * 60 * 1000, run: () => runCallsJobs() },
      // [requests] acknowledgement deadlines: reassign what lapsed, assign what still waits.
      { name: "requests-sweeper", intervalMs: 60 * 60 * 1000, run: async () => void (await sweepRequests()) },
      // [digest] checked every minute; runs once a day after DIGEST_TIME and catches up after downtime.
      { name: "digest", intervalMs: 60 * 1000, run: async () => void (await runScheduledDigest()) },
      // [ecosystem] daily: package metadata sync from PyPI and GitHub, then dormant check-ins.
      { name: "package-sync", intervalMs: 24 * 60 * 60 * 1000, run: runDailyEcosystem },
    ]);
  }
  return settings;
}

export async function shutdown(): Promise<void> {
  await stopScheduler?.();
  closeDatabase();
}
