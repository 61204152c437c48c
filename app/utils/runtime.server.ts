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

export { EnvError, log, errorFields, hitRateLimit, databaseIsUp };
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
    ]);
  }
  return settings;
}

export async function shutdown(): Promise<void> {
  await stopScheduler?.();
  closeDatabase();
}
