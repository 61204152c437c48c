// Runs periodic jobs inside the web process. A lease row per job in the database makes sure
// that only one instance runs a job per interval, even with several machines.
import { sql } from "drizzle-orm";
import { randomUUID } from "node:crypto";
import { db, schema } from "#app/utils/db.server.ts";
import { errorFields, log } from "#app/utils/log.server.ts";

export type ScheduledJob = {
  name: string;
  intervalMs: number;
  run: () => Promise<void>;
};

const holder = randomUUID();

/**
 * Takes the lease on `name` until `now + ttlMs` if nobody holds an unexpired one.
 * Returns true when this process now holds it.
 */
export async function acquireLease(name: string, ttlMs: number, now = Date.now(), who = holder): Promise<boolean> {
  const t = schema.jobLeases;
  const rows = await db()
    .insert(t)
    .values({ name, holder: who, expiresAt: now + ttlMs })
    .onConflictDoUpdate({
      target: t.name,
      set: { holder: who, expiresAt: now + ttlMs },
      setWhere: sql`${t.expiresAt} <= ${now}`,
    })
    .returning({ holder: t.holder });
  return rows[0]?.holder === who;
}

export async function releaseLease(name: string, who = holder): Promise<void> {
  await db()
    .update(schema.jobLeases)
    .set({ expiresAt: 0 })
    .where(sql`${schema.jobLeases.name} = ${name} AND ${schema.jobLeases.holder} = ${who}`);
}

/** Checks every minute which jobs are due; returns a function that stops the scheduler. */
export function startScheduler(jobs: ScheduledJob[], tickMs = 60_000): () => Promise<void> {
  const running = new Set<Promise<void>>();
  const tick = () => {
    for (const job of jobs) {
      const run = (async () => {
        if (!(await acquireLease(`job:${job.name}`, job.intervalMs))) return;
        const started = Date.now();
        try {
          await job.run();
          log.info("job finished", { job: job.name, durationMs: Date.now() - started });
        } catch (error) {
          log.error("job failed", { job: job.name, ...errorFields(error) });
        }
      })();
      running.add(run);
      void run.finally(() => running.delete(run));
    }
  };
  const first = setTimeout(tick, 5_000);
  const timer = setInterval(tick, tickMs);
  first.unref();
  timer.unref();
  return async () => {
    clearTimeout(first);
    clearInterval(timer);
    await Promise.allSettled([...running]);
  };
}
