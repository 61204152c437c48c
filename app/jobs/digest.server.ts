// The match digest job, shared by the CLI (scripts/digest.ts), the scheduler and
// POST /internal/jobs/digest. Exactly once per person and ISO week, streamed 100 people at a time,
// as a pipeline of named steps:
//   1. plan recipients: who may get one this week (digest-plan.server.ts);
//   2. resume the ledger: deliveries an earlier run recorded but did not finish, rebuilt from
//      their stored items in the same chunks, so Resend answers them without sending again;
//      then everyone else is matched and recorded as planned, 100 at a time;
//   3. render each chunk's emails (digest-email.server.ts), keyed `digest:<week>:user:<id>`;
//   4. pace the requests and 5. send them (digest-send.server.ts), while the next chunk is planned.
// Whether an email went out lives in one place, the email ledger (`email_deliveries`), which the
// digest's delivery rows name by idempotency key. A lease in the database, renewed while the run
// lasts, keeps two runs from sending at the same time. Memory holds the people and the matching
// data, never all of a week's digests (a dry run streams its recipients out).
import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { db, schema } from "#app/utils/db.server.ts";
import { env } from "#app/utils/env.server.ts";
import { errorFields, log } from "#app/utils/log.server.ts";
import { BATCH_LIMIT, deliveryState } from "#app/utils/email.server.ts";
import { acquireLease, keepLease, releaseLease, renewLease } from "#app/jobs/scheduler.server.ts";
import { loadMatchingData } from "#app/models/digest/matching.server.ts";
import { createMatcher, type Matcher } from "#app/models/digest/matcher.ts";
import type { SkipReason } from "#app/models/digest/digest.server.ts";
import { isIsoWeek, isoWeekOf } from "#app/models/digest/weeks.ts";
import { isoDay, MINUTE_MS } from "#app/utils/dates.ts";
import {
  parseItems,
  planRecipients,
  recordPlanned,
  resumeChunks,
  storedItems,
  toItem,
  type Planned,
  type Recipient,
  type RecipientPlan,
} from "#app/jobs/digest-plan.server.ts";
import { dryRunRecipient, type DryRunRecipient } from "#app/jobs/digest-email.server.ts";
import { createPacer, paceGapMs, sendChunk } from "#app/jobs/digest-send.server.ts";

export { buildDigestEmail, openDryRunJson, type DryRunRecipient } from "#app/jobs/digest-email.server.ts";
export type { DigestItem } from "#app/jobs/digest-plan.server.ts";

export const DIGEST_LEASE = "digest:run";

export type DigestOptions = {
  /** ISO week, e.g. "2026-W48"; default: the week of `now`. */
  week?: string;
  dryRun?: boolean;
  /** At most this many emails this run (new and unfinished deliveries). */
  limit?: number;
  /** Only this person (GitHub login, any case). */
  only?: string;
  now?: number;
  /** Resend requests per second; default DIGEST_RATE_PER_SECOND or 2 (Resend's default limit). */
  ratePerSecond?: number;
  /** How long the lease lasts without renewal; a crashed run blocks others at most this long. */
  leaseTtlMs?: number;
  /** People settled so far (sent, skipped or failed) out of those who may get one; emails sent. */
  onProgress?: (progress: { done: number; total: number; sent: number }) => void;
  /** Dry runs: each recipient as soon as it is planned (else they are collected in the summary). */
  onDryRunRecipient?: (recipient: DryRunRecipient) => void;
};

export type DigestSummary = {
  week: string;
  dryRun: boolean;
  /** "busy" when another run holds the lease: this one did nothing. */
  status: "done" | "busy";
  recipients: number;
  sent: number;
  alreadySent: number;
  skipped: Partial<Record<SkipReason | "nothing-to-show" | "limit", number>>;
  failed: number;
  /** Sends that failed for a reason worth another try: a rerun picks them up. */
  retryLater: number;
  elapsedMs: number;
  /** Dry runs without `onDryRunRecipient`: every recipient (fine for a few; streamed at scale). */
  dryRunRecipients?: DryRunRecipient[];
};

export class DigestInputError extends Error {}

/** The digest's schedule and pacing (DIGEST_* settings, validated in env.server.ts). */
export function digestSettings() {
  return env().digest;
}

/** One run's counts and progress: people are settled when skipped or when their chunk was sent. */
function runTally(summary: DigestSummary, options: DigestOptions) {
  let settled = 0;
  let total = 0;
  const tally = {
    alreadySent: () => void (summary.alreadySent += 1),
    failed: () => void (summary.failed += 1),
    skip: (reason: keyof DigestSummary["skipped"]) => {
      summary.skipped[reason] = (summary.skipped[reason] ?? 0) + 1;
    },
    settle: (n = 1) => void (settled += n),
    startProgress: (people: number) => {
      total = people;
      tally.progress();
    },
    progress: () => options.onProgress?.({ done: settled, total, sent: summary.sent }),
  };
  return tally;
}
type RunTally = ReturnType<typeof runTally>;

/** Runs the digest for one week. Throws DigestInputError on bad options; never sends twice. */
export async function runDigest(options: DigestOptions = {}): Promise<DigestSummary> {
  const started = Date.now();
  const now = options.now ?? Date.now();
  const week = options.week ?? isoWeekOf(now);
  if (!isIsoWeek(week)) throw new DigestInputError(`--week must be an ISO week such as ${isoWeekOf(now)}`);
  if (options.limit !== undefined && (!Number.isInteger(options.limit) || options.limit < 1)) {
    throw new DigestInputError("--limit must be a positive whole number");
  }
  const settings = digestSettings();
  const dryRun = options.dryRun ?? false;
  const summary: DigestSummary = {
    week,
    dryRun,
    status: "done",
    recipients: 0,
    sent: 0,
    alreadySent: 0,
    skipped: {},
    failed: 0,
    retryLater: 0,
    elapsedMs: 0,
  };

  const leaseTtl = options.leaseTtlMs ?? settings.leaseTtlMs;
  const holder = randomUUID();
  if (!dryRun && !(await acquireLease(DIGEST_LEASE, leaseTtl, Date.now(), holder))) {
    log.warn("digest run skipped: another run holds the lease", { week });
    return { ...summary, status: "busy", elapsedMs: Date.now() - started };
  }
  const stopRenewing = dryRun ? undefined : keepLease(DIGEST_LEASE, leaseTtl, holder);

  try {
    if (!dryRun) {
      await db()
        .insert(schema.digestRuns)
        .values({ week, status: "running", startedAt: now })
        .onConflictDoUpdate({ target: schema.digestRuns.week, set: { status: "running", startedAt: now } });
    }
    const tally = runTally(summary, options);
    // 1. Plan recipients.
    const plan = await planRecipients(week, now, { only: options.only, defaultDay: settings.day }, tally);
    if ("nobodyCalled" in plan) throw new DigestInputError(`--only: nobody with the login ${plan.nobodyCalled}`);
    const matcher = createMatcher(await loadMatchingData(week, now));
    tally.startProgress(plan.unfinished.size + plan.fresh.length);

    // 3.–5. Render, pace and send each chunk as it is ready.
    const pacer = createPacer(env().demo ? 0 : paceGapMs(options.ratePerSecond ?? settings.ratePerSecond));
    const dispatch = async (chunk: Planned[]) => {
      if (chunk.length === 0) return;
      summary.recipients += chunk.length;
      if (dryRun) {
        for (const p of chunk) emitDryRun(p);
        tally.settle(chunk.length);
        return;
      }
      await pacer.start(async () => {
        const outcome = await sendChunk(week, chunk);
        summary.sent += outcome.sent;
        summary.alreadySent += outcome.alreadySent;
        summary.failed += outcome.failed;
        summary.retryLater += outcome.retryLater;
        tally.settle(chunk.length);
        tally.progress();
        // Not left to the timer alone: a run that can no longer write stops here.
        await renewLease(DIGEST_LEASE, leaseTtl, holder);
      });
      // Digests that die young cost the least memory (the emails were built when the send started).
      chunk.forEach((p) => (p.items = []));
    };
    const emitDryRun = (p: Planned) => {
      const recipient = dryRunRecipient(p.recipient, p.items);
      if (options.onDryRunRecipient) options.onDryRunRecipient(recipient);
      else (summary.dryRunRecipients ??= []).push(recipient);
    };
    let budget = options.limit ?? Infinity;
    const takeBudget = () => {
      if (budget <= 0) {
        tally.skip("limit");
        tally.settle();
        return false;
      }
      budget -= 1;
      return true;
    };

    // 2. Resume the ledger, then plan and record everyone else.
    for (const rows of resumeChunks(plan)) {
      const wanted = rows.filter(takeBudget);
      if (wanted.length > 0) await dispatch(await resumedChunk(plan, wanted, tally));
    }
    await planFresh(plan.fresh, { week, now, dryRun, matcher, takeBudget, tally, dispatch });
    await pacer.drain();
    tally.progress();

    if (dryRun) return { ...summary, elapsedMs: Date.now() - started };

    const { dryRunRecipients: _unused, ...stored } = { ...summary, elapsedMs: Date.now() - started };
    await db()
      .update(schema.digestRuns)
      .set({ status: "finished", finishedAt: Date.now(), lastRunOn: isoDay(now), summary: JSON.stringify(stored) })
      .where(eq(schema.digestRuns.week, week));
    log.info("digest run finished", stored);
    return { ...summary, elapsedMs: Date.now() - started };
  } catch (error) {
    if (!(error instanceof DigestInputError)) log.error("digest run failed", { week, ...errorFields(error) });
    throw error;
  } finally {
    stopRenewing?.();
    if (!dryRun) await releaseLease(DIGEST_LEASE, holder).catch(() => {});
  }
}

/** An unfinished chunk rebuilt from its stored items; a delivery with none settles as nothing to show. */
async function resumedChunk(
  plan: RecipientPlan,
  rows: { id: number; userId: number }[],
  tally: RunTally,
): Promise<Planned[]> {
  const itemsById = await storedItems(rows.map((d) => d.id));
  const chunk: Planned[] = [];
  for (const d of rows) {
    const items = itemsById.get(d.id) ?? [];
    if (items.length === 0) {
      tally.skip("nothing-to-show");
      tally.settle();
      continue;
    }
    chunk.push({ deliveryId: d.id, recipient: plan.unfinished.get(d.userId)!, items });
  }
  return chunk;
}

/**
 * Everyone without a delivery yet, in user order: matched, recorded as planned and dispatched 100
 * at a time, so memory holds one chunk's digests, not the week's. Each run's chunks start at a
 * multiple of 100 of its own deliveries, which is how `resumeChunks` finds them after a crash.
 */
async function planFresh(
  fresh: Recipient[],
  run: {
    week: string;
    now: number;
    dryRun: boolean;
    matcher: Matcher;
    takeBudget: () => boolean;
    tally: RunTally;
    dispatch: (chunk: Planned[]) => Promise<void>;
  },
) {
  // A planned digest waiting for its chunk keeps its items as the JSON the delivery row stores:
  // objects that outlive a few garbage collections teach V8 to allocate every later object of
  // their kind in the old generation, and matching makes millions.
  let buffer: { recipient: Recipient; items: string }[] = [];
  const flush = async () => {
    const batch = buffer;
    buffer = [];
    if (batch.length === 0) return;
    const idByUser = await recordPlanned(
      run.week,
      run.now,
      batch.map((b) => ({ userId: b.recipient.id, items: b.items })),
    );
    const chunk: Planned[] = [];
    for (const b of batch) {
      const deliveryId = idByUser.get(b.recipient.id);
      if (deliveryId === undefined) run.tally.settle();
      else chunk.push({ deliveryId, recipient: b.recipient, items: parseItems(b.items) });
    }
    await run.dispatch(chunk);
  };
  let considered = 0;
  for (const r of fresh) {
    // Matching is synchronous: let requests in flight finish between slices of people.
    if (++considered % BATCH_LIMIT === 0) await new Promise((resolve) => setImmediate(resolve));
    const matches = run.matcher.matchesFor(r.id, r.prefs.sections);
    if (matches.length === 0) {
      run.tally.skip("nothing-to-show");
      run.tally.settle();
      continue;
    }
    if (!run.takeBudget()) continue;
    if (run.dryRun) {
      await run.dispatch([{ deliveryId: 0, recipient: r, items: matches.map(toItem) }]);
      continue;
    }
    buffer.push({ recipient: r, items: JSON.stringify(matches.map(toItem)) });
    if (buffer.length === BATCH_LIMIT) await flush();
  }
  await flush();
}

/**
 * The scheduler's check, every minute: run when today's send time has passed and today has not
 * been covered yet. After downtime this catches up at once: everyone whose day has come this week
 * and who has no digest yet gets it.
 */
export async function runScheduledDigest(now = Date.now()): Promise<DigestSummary | null> {
  const settings = digestSettings();
  const today = isoDay(now);
  const sendTime = Date.parse(`${today}T00:00:00Z`) + settings.minutesAfterMidnight * MINUTE_MS;
  if (now < sendTime) return null;
  const week = isoWeekOf(now);
  const run = await db().select().from(schema.digestRuns).where(eq(schema.digestRuns.week, week)).get();
  if (run?.lastRunOn === today && run.status === "finished") return null;
  return runDigest({ week, now });
}

/** A week's deliveries by what the email ledger says of them (sent, failed, pending), for operators and tests. */
export async function deliveryCounts(week: string): Promise<Record<string, number>> {
  const dd = schema.digestDeliveries;
  const ed = schema.emailDeliveries;
  const rows = await db()
    .select({ status: ed.status, permanent: ed.permanent, n: sql<number>`count(*)` })
    .from(dd)
    .leftJoin(ed, eq(ed.idempotencyKey, dd.emailKey))
    .where(eq(dd.week, week))
    .groupBy(ed.status, ed.permanent)
    .all();
  const counts: Record<string, number> = {};
  for (const row of rows) {
    const state = deliveryState(row);
    counts[state] = (counts[state] ?? 0) + row.n;
  }
  return counts;
}
