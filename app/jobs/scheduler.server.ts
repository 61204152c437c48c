// Runs the scheduled jobs of app/jobs/registry.server.ts inside the web process, on every instance.
// The database is the only truth: a short lease row per job (`job_leases`, renewed while a run
// works) keeps a job from running twice at once across machines; `job_state` says which cron slot
// it last ran for, its failures in a row, a pending retry or "run now"; `job_runs` records each run.
// Taking, renewing and releasing a lease live here, so a long job (the digest) uses the same ones.
import { and, desc, eq, inArray, lt, ne, sql } from "drizzle-orm";
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { db, schema } from "#app/utils/db.server.ts";
import { errorFields, log } from "#app/utils/log.server.ts";
import { recordAudit } from "#app/models/moderation/audit.server.ts";
import type { JobRunTrigger } from "#db/schema.ts";
import {
  assertCronPattern,
  formatDuration,
  latestSlotAtOrBefore,
  nextSlotAfter,
  retryDelayMs,
  slotIsDue,
  type RetryPolicy,
} from "#app/jobs/schedule.ts";

export type { RetryPolicy } from "#app/jobs/schedule.ts";

/** Small counts a run reports ({ sent: 3, skipped: 1 }), shown in the run's history. */
export type JobCounts = Record<string, number>;

export type JobContext = {
  /** The scheduler's clock when the run started. */
  now: number;
  /** Aborted once the run has taken longer than its `maxRunMs`; long jobs should stop then. */
  signal: AbortSignal;
  attempt: number;
};

export type ScheduledJob = {
  name: string;
  /** A five-field cron pattern, in UTC (croner). */
  cron: string;
  /** What the job does, in a sentence, for the admin page and docs/operations.md. */
  description: string;
  /** How long a run holds `job:<name>` without renewing; renewed every third of it while it works. */
  leaseMs: number;
  /** After this, the run's signal is aborted and the run is recorded failed when it ends. */
  maxRunMs: number;
  retry: RetryPolicy;
  run: (context: JobContext) => Promise<JobCounts | void>;
};

/** This machine and process, as recorded in `job_runs.instance`. */
export const INSTANCE = `${process.env.FLY_MACHINE_ID ?? hostname()}:${process.pid}`;

const holder = randomUUID();

/**
 * Takes the lease on `name` until `now + ttlMs` if nobody holds an unexpired one.
 * Returns true when `who` now holds it.
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

/**
 * Pushes the end of a lease `who` holds to `now + ttlMs`. Returns false when the lease is no longer
 * `who`'s (it lapsed and another run took it).
 */
export async function renewLease(
  name: string,
  ttlMs: number,
  who: string = holder,
  now = Date.now(),
): Promise<boolean> {
  const t = schema.jobLeases;
  const rows = await db()
    .update(t)
    .set({ expiresAt: now + ttlMs })
    .where(and(eq(t.name, name), eq(t.holder, who)))
    .returning({ name: t.name });
  return rows.length > 0;
}

export async function releaseLease(name: string, who: string = holder): Promise<void> {
  await db()
    .update(schema.jobLeases)
    .set({ expiresAt: 0 })
    .where(and(eq(schema.jobLeases.name, name), eq(schema.jobLeases.holder, who)));
}

/**
 * Renews `name` every third of `ttlMs` until the returned function is called: a run that dies
 * stops renewing, and its lease lapses at most `ttlMs` later.
 */
export function keepLease(
  name: string,
  ttlMs: number,
  who: string = holder,
  clock: () => number = Date.now,
): () => void {
  const timer = setInterval(
    () => {
      renewLease(name, ttlMs, who, clock()).then(
        (kept) => {
          if (!kept) log.error("job lease lost while running", { lease: name });
        },
        (error: unknown) => log.warn("job lease renewal failed", { lease: name, ...errorFields(error) }),
      );
    },
    Math.max(50, ttlMs / 3),
  );
  timer.unref();
  return () => clearInterval(timer);
}

type JobState = typeof schema.jobState.$inferSelect;

/** Why a job is due now, or null. A pending "run now" or retry comes before the schedule. */
export function dueReason(job: ScheduledJob, state: JobState | undefined, now: number): JobRunTrigger | null {
  if (state?.requestedAt != null) return "manual";
  if (state?.retryAt != null && state.retryAt <= now) return "retry";
  if (slotIsDue(job.cron, state?.lastSlotAt ?? null, now)) return "schedule";
  return null;
}

/** When the job will next start on its own: a due retry or slot, else the next of either. */
export function nextRunAt(job: ScheduledJob, state: JobState | undefined, now: number): number {
  const slot = state?.lastSlotAt == null ? now : nextSlotAfter(job.cron, state.lastSlotAt);
  const candidates = [Math.max(slot, now)];
  if (state?.retryAt != null) candidates.push(Math.max(state.retryAt, now));
  return Math.min(...candidates);
}

async function loadStates(): Promise<Map<string, JobState>> {
  const rows = await db().select().from(schema.jobState).all();
  return new Map(rows.map((r) => [r.name, r]));
}

const leaseName = (job: Pick<ScheduledJob, "name">) => `job:${job.name}`;

/** An error as stored in `job_runs.error`: class and message, without addresses, cut short. */
function storedError(error: unknown): string {
  const text =
    error instanceof Error ? `${error.name === "Error" ? "" : `${error.name}: `}${error.message}` : String(error);
  return text
    .replace(/[\w.+-]+@[\w-]+(\.[\w-]+)+/g, "[address]")
    .replace(/\b(gh[opsur]_|re_|sk_)[A-Za-z0-9_]{8,}/g, "[token]")
    .slice(0, 500);
}

/** The state after a run ended badly: a retry when attempts remain, else wait for the next slot. */
function afterFailure(job: ScheduledJob, failuresBefore: number, now: number, random: () => number, immediate = false) {
  const failures = failuresBefore + 1;
  if (failures >= job.retry.attempts) return { failures: 0, retryAt: null };
  return { failures, retryAt: immediate ? now : now + retryDelayMs(job.retry, failures, random) };
}

/**
 * Marks `running` runs (of every job, or only of `only`) whose lease has lapsed — their instance
 * died or froze — as abandoned, and lets each job of `jobs` be taken over at once as its next attempt.
 */
export async function markAbandonedRuns(
  jobs: readonly ScheduledJob[],
  now: number,
  random: () => number = Math.random,
  only?: string,
): Promise<number> {
  const r = schema.jobRuns;
  const l = schema.jobLeases;
  const lapsed = and(
    eq(r.outcome, "running"),
    only ? eq(r.name, only) : undefined,
    sql`NOT EXISTS (SELECT 1 FROM ${l} WHERE ${l.name} = 'job:' || ${r.name}
      AND ${l.holder} = ${r.leaseHolder} AND ${l.expiresAt} > ${now})`,
  );
  // Read first: every instance looks every few seconds, and almost always finds nothing to write.
  if (!(await db().select({ id: r.id }).from(r).where(lapsed).limit(1).get())) return 0;
  const dead = await db()
    .update(r)
    .set({ outcome: "abandoned", finishedAt: now, error: "Its instance stopped renewing the lease." })
    .where(lapsed)
    .returning({ name: r.name, id: r.id });
  const byName = new Map(jobs.map((j) => [j.name, j]));
  for (const run of dead) {
    log.warn("job run abandoned", { job: run.name, run: run.id });
    const job = byName.get(run.name);
    if (!job) continue;
    const state = (await loadStates()).get(job.name);
    await db()
      .update(schema.jobState)
      .set(afterFailure(job, state?.failures ?? 0, now, random, true))
      .where(eq(schema.jobState.name, job.name));
  }
  return dead.length;
}

export type SchedulerOptions = {
  /** The scheduler's clock (tests move it); leases, slots and run times are read from it. */
  clock?: () => number;
  /** Spreads retry delays; tests pin it. */
  random?: () => number;
  instance?: string;
};

/**
 * Starts `job` if it is due and this instance gets its lease; records the run and what follows it.
 * Resolves when the run has ended (or at once when it was not started); never throws.
 */
export async function runJob(
  job: ScheduledJob,
  options: SchedulerOptions & { trigger?: JobRunTrigger } = {},
): Promise<void> {
  const clock = options.clock ?? Date.now;
  const random = options.random ?? Math.random;
  const lease = randomUUID();
  try {
    if (!(await acquireLease(leaseName(job), job.leaseMs, clock(), lease))) return;
  } catch (error) {
    log.error("job lease failed", { job: job.name, ...errorFields(error) });
    return;
  }
  let stopRenewing = () => {};
  let timer: NodeJS.Timeout | undefined;
  try {
    // Decided again under the lease: another instance may have run it since this one looked.
    const started = clock();
    await markAbandonedRuns([job], started, random, job.name);
    const state = (await loadStates()).get(job.name);
    const trigger = options.trigger ?? dueReason(job, state, started);
    if (!trigger) return;
    const attempt = (state?.failures ?? 0) + 1;
    const slot = latestSlotAtOrBefore(job.cron, started) ?? started;
    const js = schema.jobState;
    await db()
      .insert(js)
      .values({ name: job.name, lastSlotAt: slot, retryAt: null, requestedAt: null, requestedBy: null })
      .onConflictDoUpdate({
        target: js.name,
        set: { lastSlotAt: slot, retryAt: null, requestedAt: null, requestedBy: null },
      });
    const [run] = await db()
      .insert(schema.jobRuns)
      .values({
        name: job.name,
        attempt,
        trigger,
        instance: options.instance ?? INSTANCE,
        leaseHolder: lease,
        requestedBy: trigger === "manual" ? (state?.requestedBy ?? null) : null,
        startedAt: started,
      })
      .returning({ id: schema.jobRuns.id });
    stopRenewing = keepLease(leaseName(job), job.leaseMs, lease, clock);
    const abort = new AbortController();
    timer = setTimeout(() => {
      log.warn("job run past its maximum run time", { job: job.name, maxRunMs: job.maxRunMs });
      abort.abort(new Error(`ran longer than its maximum of ${formatDuration(job.maxRunMs)}`));
    }, job.maxRunMs);
    timer.unref();

    let outcome: "ok" | "failed" = "ok";
    let error: string | null = null;
    let counts: JobCounts | void = undefined;
    try {
      counts = await job.run({ now: started, signal: abort.signal, attempt });
      if (abort.signal.aborted) throw abort.signal.reason;
    } catch (thrown) {
      outcome = "failed";
      error = storedError(abort.signal.aborted ? abort.signal.reason : thrown);
      log.error("job failed", { job: job.name, attempt, ...errorFields(thrown) });
    }
    const finished = clock();
    // A run already marked abandoned (its lease lapsed and was taken over) keeps that outcome.
    const ended = await db()
      .update(schema.jobRuns)
      .set({
        outcome,
        finishedAt: finished,
        error,
        counts: counts && Object.keys(counts).length ? JSON.stringify(counts) : null,
      })
      .where(and(eq(schema.jobRuns.id, run!.id), eq(schema.jobRuns.outcome, "running")))
      .returning({ id: schema.jobRuns.id });
    if (ended.length === 0) return;
    const next = outcome === "ok" ? { failures: 0, retryAt: null } : afterFailure(job, attempt - 1, finished, random);
    await db().update(js).set(next).where(eq(js.name, job.name));
    if (outcome === "ok")
      log.info("job finished", { job: job.name, attempt, durationMs: finished - started, ...counts });
  } catch (error) {
    log.error("job bookkeeping failed", { job: job.name, ...errorFields(error) });
  } finally {
    if (timer) clearTimeout(timer);
    stopRenewing();
    await releaseLease(leaseName(job), lease).catch(() => {});
  }
}

export type Scheduler = {
  /** Looks at every job once: marks dead runs abandoned, starts what is due. Does not wait for runs. */
  tick: () => Promise<void>;
  /** Resolves when the runs this scheduler started have ended. */
  idle: () => Promise<void>;
};

export function createScheduler(jobs: readonly ScheduledJob[], options: SchedulerOptions = {}): Scheduler {
  for (const job of jobs) assertCronPattern(job.cron);
  const clock = options.clock ?? Date.now;
  const running = new Map<string, Promise<void>>();
  return {
    tick: async () => {
      try {
        const now = clock();
        await markAbandonedRuns(jobs, now, options.random);
        const states = await loadStates();
        for (const job of jobs) {
          if (running.has(job.name) || !dueReason(job, states.get(job.name), now)) continue;
          const run = runJob(job, options).finally(() => running.delete(job.name));
          running.set(job.name, run);
        }
      } catch (error) {
        log.error("scheduler tick failed", errorFields(error));
      }
    },
    idle: async () => {
      while (running.size > 0) await Promise.allSettled([...running.values()]);
    },
  };
}

/** Looks for due jobs every `tickMs` (first 5 s after start); returns a function that stops it. */
export function startScheduler(jobs: readonly ScheduledJob[], tickMs = 15_000): () => Promise<void> {
  const scheduler = createScheduler(jobs);
  const tick = () => void scheduler.tick();
  const first = setTimeout(tick, 5_000);
  const timer = setInterval(tick, tickMs);
  first.unref();
  timer.unref();
  return async () => {
    clearTimeout(first);
    clearInterval(timer);
    await scheduler.idle();
  };
}

/** "Run now": asks whichever instance ticks next to run the job under its lease; audited. */
export async function requestJobRun(name: string, userId: number, now = Date.now()): Promise<void> {
  const js = schema.jobState;
  await db()
    .insert(js)
    .values({ name, requestedAt: now, requestedBy: userId })
    .onConflictDoUpdate({ target: js.name, set: { requestedAt: now, requestedBy: userId } });
  await recordAudit({ actorUserId: userId, action: "job.run-requested", objectType: "job", objectId: name }, now);
}

/** Deletes finished runs that started before `now - keepMs` (housekeeping); returns how many. */
export async function pruneJobRuns(now = Date.now(), keepMs = 60 * 24 * 60 * 60 * 1000): Promise<number> {
  const r = schema.jobRuns;
  const gone = await db()
    .delete(r)
    .where(and(lt(r.startedAt, now - keepMs), ne(r.outcome, "running")))
    .returning({ id: r.id });
  return gone.length;
}

/** Each job's state, for the admin page. */
export async function jobStates(): Promise<Map<string, JobState>> {
  return loadStates();
}

/** The latest runs, newest first, of one job or all; with the login of whoever asked for a manual run. */
export async function listJobRuns({
  name,
  ids,
  limit,
  offset = 0,
}: {
  name?: string;
  ids?: number[];
  limit: number;
  offset?: number;
}) {
  const r = schema.jobRuns;
  return db()
    .select({
      id: r.id,
      name: r.name,
      attempt: r.attempt,
      trigger: r.trigger,
      instance: r.instance,
      startedAt: r.startedAt,
      finishedAt: r.finishedAt,
      outcome: r.outcome,
      error: r.error,
      counts: r.counts,
      requestedBy: schema.users.login,
    })
    .from(r)
    .leftJoin(schema.users, eq(schema.users.id, r.requestedBy))
    .where(and(name ? eq(r.name, name) : undefined, ids ? inArray(r.id, ids) : undefined))
    .orderBy(desc(r.startedAt), desc(r.id))
    .limit(limit)
    .offset(offset)
    .all();
}

export type JobRunRow = Awaited<ReturnType<typeof listJobRuns>>[number];

/** The last run of each job, by name. */
export async function lastJobRuns(): Promise<Map<string, JobRunRow>> {
  const r = schema.jobRuns;
  const ids = (
    await db()
      .select({ id: sql<number>`max(${r.id})` })
      .from(r)
      .groupBy(r.name)
      .all()
  ).map((x) => x.id);
  const runs = ids.length ? await listJobRuns({ ids, limit: ids.length }) : [];
  return new Map(runs.map((x) => [x.name, x]));
}
