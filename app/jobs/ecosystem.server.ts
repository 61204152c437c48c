// The ecosystem area's scheduled work: the daily metadata sync followed by dormant check-ins,
// and demo mode's first sync against the stand-ins.
import { acquireLease } from "#app/jobs/scheduler.server.ts";
import { runSync } from "#app/jobs/sync.server.ts";
import { sendDormantCheckins } from "#app/models/packages/checkins.server.ts";
import { errorFields, log } from "#app/utils/log.server.ts";

export async function runDailyEcosystem(): Promise<void> {
  await runSync({ trigger: "schedule" });
  await sendDormantCheckins();
}

/**
 * Demo mode: sync once in the background, shortly after start (the stand-ins are served by this
 * very server, which listens only after boot). Holds the daily job's lease, so the scheduler's
 * first tick does not sync a second time.
 */
export function startDemoSync(): void {
  const timer = setTimeout(() => {
    void (async () => {
      if (!(await acquireLease("job:package-sync", 24 * 60 * 60 * 1000))) return;
      await runSync({ trigger: "demo", baseDelayMs: 500 });
    })().catch((error: unknown) => log.error("demo sync failed", errorFields(error)));
  }, 1_000);
  timer.unref();
}
