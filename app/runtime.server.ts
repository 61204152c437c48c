// What the Express server (server.ts) needs from the app, exported through entry.server.tsx so
// that the server and the Remix routes share one database connection and one configuration.
// Start-up lives here, at the top: it wires settings, the database, seeds and the job registry.
import { env, EnvError, forgetRunningDemo, recordRunningDemo, type Env } from "#app/utils/env.server.ts";
import { closeDatabase, databaseIsUp, db, prepareDatabase } from "#app/utils/db.server.ts";
import { hitRateLimit, type RateRule } from "#app/utils/rate-limit.server.ts";
import { startScheduler } from "#app/jobs/scheduler.server.ts";
import { scheduledJobs, startDemoSync } from "#app/jobs/registry.server.ts";
import { log, errorFields, requestLogger, withRequestId } from "#app/utils/log.server.ts";
import { seedReference } from "#db/seed.ts";
import { seedDemo } from "#db/demo.ts";

export {
  EnvError,
  log,
  errorFields,
  requestLogger,
  withRequestId,
  hitRateLimit,
  databaseIsUp,
  recordRunningDemo,
  forgetRunningDemo,
};
// [experience] the lines `npm run demo` prints once the server listens.
export { demoStartupSummary } from "#db/demo/personas.ts";
export { UNCACHED_PATHS, pageCacheKey } from "#app/page-cache-keys.ts";
export {
  PageCache,
  notModified,
  knownGeneration,
  publicContentGeneration,
  bumpPublicContent,
} from "#app/utils/page-cache.server.ts";
export { RenderQueue } from "#app/utils/render-queue.server.ts";
export {
  DATABASE_BUSY_RETRY_AFTER_SECONDS,
  databaseBusyPage,
  databaseUnavailableReason,
  isDatabaseBusy,
  withDatabaseBusyAnswers,
} from "#app/utils/database-busy.server.ts";
export type { Env, RateRule };

let stopScheduler: (() => Promise<void>) | undefined;

/**
 * Validates settings, migrates, seeds and starts the scheduler. Throws EnvError on bad settings.
 * With several server processes (WEB_CONCURRENCY, server.ts) the primary does this once but serves
 * nothing, so it starts no jobs; each worker passes `worker`: it only sets up its own connection
 * (prepareDatabase finds no migration left to run), and starts the jobs if `worker.jobs`.
 */
export async function boot(worker?: { jobs: boolean }): Promise<Env> {
  // The server's own URL, never one recorded by another demo on this database.
  const settings = env({ server: true });
  await prepareDatabase();
  if (!worker) await seedReference(db());
  if (settings.demo) {
    const { seeded } = await seedDemo(db());
    if (seeded) log.info("demo data seeded");
    // [ecosystem] one metadata sync against the stand-ins, so pages show synced classifiers.
    startDemoSync();
  }
  const runsJobs = worker ? worker.jobs : settings.webConcurrency === 1;
  if (settings.scheduler && runsJobs) stopScheduler = startScheduler(scheduledJobs);
  return settings;
}

export async function shutdown(): Promise<void> {
  await stopScheduler?.();
  closeDatabase();
}
