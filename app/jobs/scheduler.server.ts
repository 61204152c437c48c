// Runs periodic jobs inside the web process. A lease row per job in the database makes sure
// that only one instance runs a job per interval, even with several machines. Taking, renewing
// and releasing a lease all live here, so a long job (the digest) keeps its lease the same way.
import { and, eq, sql } from "drizzle-orm";
import { randomUUID } from "node:crypto";
import { db, schema } from "#app/utils/db.server.ts";
import { errorFields, log } from "#app/utils/log.server.ts";

/**
 * What happens when a run fails. Today there is one policy: nothing until the next interval (the
 * lease taken for the failed run lapses then). Kept as a field so each job states it.
 */
export type RetryPolicy = "next-interval";

export type ScheduledJob = {
  name: string;
  /** How often the job is due. */
  intervalMs: number;
  /** How long a run holds `job:<name>`; no other instance starts it before this has passed. */
  leaseMs: number;
  retry: RetryPolicy;
  run: () => Promise<void>;
};

const holder = randomUUID();

/**
 * Takes the lease on `name` until `now + ttlMs` if nobody holds an unexpired one.
 * Returns true when this process now holds it.
 */
export async function acquireLease(
  name: string,
  ttlMs: number,
  now = Date.now(),
  who: string = holder,
): Promise<boolean> {
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

/** Pushes the end of a lease `who` holds to `now + ttlMs`; does nothing when it is someone else's. */
export async function renewLease(name: string, ttlMs: number, who: string = holder): Promise<void> {
  const t = schema.jobLeases;
  await db()
    .update(t)
    .set({ expiresAt: Date.now() + ttlMs })
    .where(and(eq(t.name, name), eq(t.holder, who)));
}

export async function releaseLease(name: string, who: string = holder): Promise<void> {
  await db()
    .update(schema.jobLeases)
    .set({ expiresAt: 0 })
    .where(sql`${schema.jobLeases.name} = ${name} AND ${schema.jobLeases.holder} = ${who}`);
}

/**
 * Renews `name` every third of `ttlMs` until the returned function is called: a run that dies
 * stops renewing, and its lease lapses at most `ttlMs` later.
 */
export function keepLease(name: string, ttlMs: number, who: string = holder): () => void {
  const timer = setInterval(() => void renewLease(name, ttlMs, who).catch(() => {}), Math.max(50, ttlMs / 3));
  timer.unref();
  return () => clearInterval(timer);
}

/** Runs `run` if this process gets the job's lease; logs the outcome, never throws. */
export async function runUnderLease(job: Pick<ScheduledJob, "name" | "leaseMs">, run: () => Promise<void>) {
  if (!(await acquireLease(`job:${job.name}`, job.leaseMs))) return;
  const started = Date.now();
  try {
    await run();
    log.info("job finished", { job: job.name, durationMs: Date.now() - started });
  } catch (error) {
    log.error("job failed", { job: job.name, ...errorFields(error) });
  }
}

/** Checks every minute which jobs are due; returns a function that stops the scheduler. */
export function startScheduler(jobs: readonly ScheduledJob[], tickMs = 60_000): () => Promise<void> {
  const running = new Set<Promise<void>>();
  const tick = () => {
    for (const job of jobs) {
      const run = runUnderLease(job, job.run);
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
