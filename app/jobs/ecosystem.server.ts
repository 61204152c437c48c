// The ecosystem area's scheduled work: the daily metadata sync followed by dormant check-ins,
// and demo mode's first sync against the stand-ins (started by app/jobs/registry.server.ts).
import { runSync } from "#app/jobs/sync.server.ts";
import { sendDormantCheckins } from "#app/models/packages/checkins.server.ts";

export async function runDailyEcosystem(): Promise<{ packages: number; updated: number; failed: number }> {
  const sync = await runSync({ trigger: "schedule" });
  await sendDormantCheckins();
  return { packages: sync.total, updated: sync.updated, failed: sync.failed };
}

/** Demo mode's one sync at start, with short waits between the stand-ins' answers. */
export async function runDemoSync(): Promise<void> {
  // The stand-ins are served by this very process: no need to space the downloads requests.
  await runSync({ trigger: "demo", baseDelayMs: 500, downloadsIntervalMs: 10 });
}
