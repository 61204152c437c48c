// Demo data for the admin Jobs page (/admin/jobs): two days of run history as the scheduler writes
// it — hourly jobs that succeeded, a package sync that failed on a GitHub 502 and succeeded on its
// retry a minute later, a sweeper run whose machine was replaced mid-run (abandoned, then taken
// over), and a "Run now" by the admin ada-demo. Job state is left empty, so the demo's scheduler
// still runs every job once at start-up and adds live rows on top.
import { eq } from "drizzle-orm";
import type { Database } from "../../app/utils/db.server.ts";
import { jobRuns, users } from "../schema.ts";

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const MACHINES = ["3d8d9e1c7e0d89:412", "e784079a6d5e08:388"];

type Run = typeof jobRuns.$inferInsert;

export async function seedJobs(db: Database, now: number): Promise<void> {
  const admin = await db.select({ id: users.id }).from(users).where(eq(users.login, "ada-demo")).get();
  const today = now - (now % DAY);
  const rows: Run[] = [];
  const run = (name: string, startedAt: number, ms: number, extra: Partial<Run> = {}): void => {
    if (startedAt + ms > now) return;
    rows.push({
      name,
      attempt: 1,
      trigger: "schedule",
      instance: MACHINES[rows.length % 2]!,
      leaseHolder: `demo-${rows.length}`,
      startedAt,
      finishedAt: startedAt + ms,
      outcome: "ok",
      ...extra,
    });
  };

  for (let h = 36; h >= 1; h--) {
    const hour = now - (now % HOUR) - h * HOUR;
    run("housekeeping", hour + 5 * MIN, 180, { counts: JSON.stringify({ jobRunsPruned: 0 }) });
    run("people-terms", hour + 10 * MIN, 420, { counts: JSON.stringify({ reminded: h % 9 === 0 ? 1 : 0 }) });
    if (h === 20) {
      // The machine running it was replaced during a deploy: its lease lapsed, the other took over.
      run("requests-sweeper", hour + 15 * MIN, 2 * MIN, {
        outcome: "abandoned",
        error: "Its instance stopped renewing the lease.",
      });
      run("requests-sweeper", hour + 17 * MIN + 400, 610, {
        attempt: 2,
        trigger: "retry",
        counts: JSON.stringify({ reassigned: 1, assigned: 0 }),
      });
    } else {
      run("requests-sweeper", hour + 15 * MIN, 350, { counts: JSON.stringify({ reassigned: 0, assigned: 0 }) });
    }
    run("monthly-reports", hour + 25 * MIN, 90, { counts: JSON.stringify({ stored: 0 }) });
  }
  // Yesterday's sync: GitHub answered 502, the retry a minute later went through.
  run("package-sync", today - DAY + 3 * HOUR, 41_000, {
    outcome: "failed",
    error: "GitHub answered 502 Bad Gateway for /repos/jazzband/django-debug-toolbar",
  });
  run("package-sync", today - DAY + 3 * HOUR + 42_000 + MIN, 312_000, {
    attempt: 2,
    trigger: "retry",
    counts: JSON.stringify({ packages: 97, updated: 11, failed: 0 }),
  });
  run("package-sync", today + 3 * HOUR, 298_000, { counts: JSON.stringify({ packages: 97, updated: 4, failed: 0 }) });
  if (admin) {
    run("survey-reminders", now - 3 * HOUR + 7 * MIN, 240, {
      trigger: "manual",
      requestedBy: admin.id,
      counts: JSON.stringify({ reminded: 2 }),
    });
  }
  rows.sort((a, b) => a.startedAt - b.startedAt);
  for (let i = 0; i < rows.length; i += 100) await db.insert(jobRuns).values(rows.slice(i, i + 100));
}
