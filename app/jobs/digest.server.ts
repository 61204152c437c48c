// The match digest job, shared by the CLI (scripts/digest.ts), the scheduler and
// POST /internal/jobs/digest. Exactly once per person and ISO week:
//   1. plan: for each due person, rank their matches and write a pending delivery row with the
//      items (nothing is sent yet);
//   2. send: deliveries in id order, 100 per Resend batch request, paced, each email keyed
//      `digest:<week>:user:<id>`, so a rerun rebuilds the same requests and sends only what is missing.
// A lease in the database keeps two runs from sending at the same time.
import { randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { db, schema } from "#app/utils/db.server.ts";
import { env } from "#app/utils/env.server.ts";
import { errorFields, log } from "#app/utils/log.server.ts";
import { BATCH_LIMIT, sendBatch, type OutgoingEmail } from "#app/utils/email.server.ts";
import { acquireLease, releaseLease } from "#app/jobs/scheduler.server.ts";
import { createMatcher, loadMatchingData, type Match } from "#app/models/matching.server.ts";
import {
  normalizeAddress,
  preferenceSkip,
  suppressedAddresses,
  toPreferences,
  unsubscribeUrl,
  type SkipReason,
} from "#app/models/digest.server.ts";
import { isIsoWeek, isoWeekOf, utcDate } from "#app/models/digest-weeks.ts";
import { digestEmail, type DigestEmailItem } from "#emails/digest-weekly.tsx";
import type { DigestFrequency } from "#db/schema/digest.ts";

export const DIGEST_LEASE = "digest:run";
const SENDS_IN_FLIGHT = 2;

/** What a delivery row stores: enough to rebuild the same email on a rerun. */
export type DigestItem = {
  kind: Match["kind"];
  id: string;
  section: Match["section"];
  packageName: string;
  title: string;
  path: string;
  score: number;
  reasons: string[];
  updatedAt: number;
};

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
  onProgress?: (progress: { done: number; total: number }) => void;
};

export type DryRunRecipient = {
  login: string;
  email: string;
  matches: { kind: string; id: string; url: string; title: string; score: number; reasons: string[] }[];
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
  dryRunRecipients?: DryRunRecipient[];
};

export class DigestInputError extends Error {}

const frequencyWords: Record<DigestFrequency, string> = {
  weekly: "every week",
  biweekly: "every 2 weeks",
  monthly: "every 4 weeks",
  off: "never",
};

/** The digest's schedule and pacing (DIGEST_* settings, validated in env.server.ts). */
export function digestSettings() {
  return env().digest;
}

type Recipient = {
  id: number;
  login: string;
  name: string | null;
  email: string | null;
  prefs: ReturnType<typeof toPreferences>;
  lastSentWeek: string | null;
};

async function loadRecipients(week: string, defaultDay: number): Promise<Recipient[]> {
  const u = schema.users;
  const p = schema.digestPreferences;
  const rows = await db()
    .select({ id: u.id, login: u.login, name: u.name, email: u.email, pref: p })
    .from(u)
    .leftJoin(p, eq(p.userId, u.id))
    .where(sql`${u.id} NOT IN (SELECT user_id FROM ${schema.accountSuspensions})`)
    .orderBy(u.id)
    .all();
  const last = await db()
    .select({ userId: schema.digestDeliveries.userId, week: sql<string>`max(${schema.digestDeliveries.week})` })
    .from(schema.digestDeliveries)
    .where(and(eq(schema.digestDeliveries.status, "sent"), sql`${schema.digestDeliveries.week} < ${week}`))
    .groupBy(schema.digestDeliveries.userId)
    .all();
  const lastByUser = new Map(last.map((l) => [l.userId, l.week]));
  return rows.map((r) => {
    const prefs = toPreferences(r.pref ?? undefined);
    if (!r.pref) prefs.dayOfWeek = defaultDay;
    return {
      id: r.id,
      login: r.login,
      name: r.name,
      email: r.email,
      prefs,
      lastSentWeek: lastByUser.get(r.id) ?? null,
    };
  });
}

function toItem(m: Match): DigestItem {
  return {
    kind: m.kind,
    id: m.id,
    section: m.section,
    packageName: m.packageName,
    title: m.title,
    path: m.path,
    score: m.score,
    reasons: m.reasons,
    updatedAt: m.updatedAt,
  };
}

function parseItems(json: string): DigestItem[] {
  try {
    const value = JSON.parse(json) as unknown;
    return Array.isArray(value) ? (value as DigestItem[]) : [];
  } catch {
    return [];
  }
}

/** The email of one delivery: a pure function of the stored items, so a rerun builds the same one. */
export function buildDigestEmail(
  recipient: Pick<Recipient, "id" | "login" | "name" | "email" | "prefs">,
  week: string,
  items: DigestItem[],
): OutgoingEmail {
  const appUrl = env().appUrl;
  const unsubscribe = unsubscribeUrl(recipient.id, week);
  const emailItems: DigestEmailItem[] = items.map((i) => ({
    kind: i.kind,
    section: i.section,
    title: i.title,
    packageName: i.packageName,
    url: `${appUrl}${i.path}`,
    reasons: i.reasons,
  }));
  const { subject, react, html, text } = digestEmail({
    login: recipient.login,
    name: recipient.name,
    week,
    frequency: frequencyWords[recipient.prefs.frequency],
    items: emailItems,
    appUrl,
    preferencesUrl: `${appUrl}/settings/notifications`,
    unsubscribeUrl: unsubscribe,
  });
  const mailto = env().digest.unsubscribeMailto;
  return {
    to: recipient.email ?? "",
    subject,
    react,
    html,
    text,
    template: "digest",
    idempotencyKey: `digest:${week}:user:${recipient.id}`,
    userId: recipient.id,
    headers: {
      "List-Unsubscribe": mailto
        ? `<${unsubscribe}/one-click>, <mailto:${mailto}?subject=unsubscribe%20${recipient.id}>`
        : `<${unsubscribe}/one-click>`,
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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
  const skip = (reason: keyof DigestSummary["skipped"]) => {
    summary.skipped[reason] = (summary.skipped[reason] ?? 0) + 1;
  };

  const leaseTtl = options.leaseTtlMs ?? settings.leaseTtlMs;
  const holder = randomUUID();
  if (!dryRun && !(await acquireLease(DIGEST_LEASE, leaseTtl, Date.now(), holder))) {
    log.warn("digest run skipped: another run holds the lease", { week });
    return { ...summary, status: "busy", elapsedMs: Date.now() - started };
  }
  // Renew well before expiry; a run that dies stops renewing and the lease lapses.
  const renew = async () => {
    if (dryRun) return;
    await db()
      .update(schema.jobLeases)
      .set({ expiresAt: Date.now() + leaseTtl })
      .where(and(eq(schema.jobLeases.name, DIGEST_LEASE), eq(schema.jobLeases.holder, holder)));
  };
  const heartbeat = dryRun ? undefined : setInterval(() => void renew().catch(() => {}), Math.max(50, leaseTtl / 3));
  heartbeat?.unref();

  try {
    if (!dryRun) {
      await db()
        .insert(schema.digestRuns)
        .values({ week, status: "running", startedAt: now })
        .onConflictDoUpdate({ target: schema.digestRuns.week, set: { status: "running", startedAt: now } });
    }
    const recipients = await loadRecipients(week, settings.day);
    const suppressed = await suppressedAddresses();
    const existing = new Map(
      (await db().select().from(schema.digestDeliveries).where(eq(schema.digestDeliveries.week, week)).all()).map(
        (d) => [d.userId, d],
      ),
    );
    const only = options.only?.toLowerCase();
    const chosen = only ? recipients.filter((r) => r.login.toLowerCase() === only) : recipients;
    if (only && chosen.length === 0) throw new DigestInputError(`--only: nobody with the login ${options.only}`);

    const data = await loadMatchingData(week, now);
    const matcher = createMatcher(data);

    const planned: { recipient: Recipient; items: DigestItem[] }[] = [];
    const resumable = new Set<number>();
    let budget = options.limit ?? Infinity;
    for (const r of chosen) {
      const delivery = existing.get(r.id);
      if (delivery?.status === "sent") {
        summary.alreadySent += 1;
        continue;
      }
      if (delivery?.status === "failed") {
        summary.failed += 1;
        continue;
      }
      // Checked again for unfinished deliveries: someone may have unsubscribed since.
      if (!r.email) {
        skip("no-email");
        continue;
      }
      if (suppressed.has(normalizeAddress(r.email))) {
        skip("suppressed");
        continue;
      }
      const reason = delivery
        ? r.prefs.unsubscribedAt !== null
          ? "unsubscribed"
          : r.prefs.frequency === "off"
            ? "off"
            : null
        : preferenceSkip(r.prefs, week, r.lastSentWeek, now, true);
      if (reason) {
        skip(reason);
        continue;
      }
      const items = delivery ? parseItems(delivery.items) : matcher.matchesFor(r.id, r.prefs.sections).map(toItem);
      if (items.length === 0) {
        skip("nothing-to-show");
        continue;
      }
      if (budget <= 0) {
        skip("limit");
        continue;
      }
      budget -= 1;
      planned.push({ recipient: r, items });
      if (delivery) resumable.add(r.id);
    }
    summary.recipients = planned.length;

    if (dryRun) {
      const appUrl = env().appUrl;
      summary.dryRunRecipients = planned.map(({ recipient, items }) => ({
        login: recipient.login,
        email: recipient.email ?? "",
        matches: items.map((i) => ({
          kind: i.kind,
          id: i.id,
          url: `${appUrl}${i.path}`,
          title: i.title,
          score: i.score,
          reasons: i.reasons,
        })),
      }));
      return { ...summary, elapsedMs: Date.now() - started };
    }

    // Plan: write every new delivery with its items before sending anything.
    const fresh = planned.filter((p) => !resumable.has(p.recipient.id));
    for (let i = 0; i < fresh.length; i += 200) {
      await db()
        .insert(schema.digestDeliveries)
        .values(
          fresh.slice(i, i + 200).map((p) => ({
            week,
            userId: p.recipient.id,
            status: "pending" as const,
            items: JSON.stringify(p.items),
            createdAt: now,
          })),
        )
        .onConflictDoNothing();
    }
    await renew();

    // Send: chunks are slices of this week's deliveries in id order, so a rerun rebuilds the
    // same chunk (same recipients, same bodies, same Idempotency-Key) and Resend sends nothing new.
    const wanted = new Map(planned.map((p) => [p.recipient.id, p.recipient]));
    const rows = await db()
      .select()
      .from(schema.digestDeliveries)
      .where(eq(schema.digestDeliveries.week, week))
      .orderBy(schema.digestDeliveries.id)
      .all();
    const toSend = rows.filter((d) => d.status === "pending" && wanted.has(d.userId));
    const total = toSend.length;
    let done = 0;
    options.onProgress?.({ done, total });
    const rate = options.ratePerSecond ?? settings.ratePerSecond;
    const gapMs = env().demo ? 0 : 1000 / rate;
    const sendChunk = async (chunk: typeof rows) => {
      const emails = chunk.map((d) => buildDigestEmail(wanted.get(d.userId)!, week, parseItems(d.items)));
      const results = await sendBatch(emails);
      const finishedAt = Date.now();
      const updates = chunk.map((d, j) => {
        const result = results[j]!;
        if (result.ok) {
          if (result.skipped) summary.alreadySent += 1;
          else summary.sent += 1;
          return db()
            .update(schema.digestDeliveries)
            .set({
              status: "sent",
              providerMessageId: result.id,
              attempts: sql`${schema.digestDeliveries.attempts} + 1`,
              lastError: null,
              sentAt: finishedAt,
            })
            .where(eq(schema.digestDeliveries.id, d.id));
        }
        // A 4xx other than 429 would fail the same way again: record it and move on.
        const permanent =
          result.status !== undefined && result.status >= 400 && result.status < 500 && result.status !== 429;
        if (permanent) summary.failed += 1;
        else summary.retryLater += 1;
        return db()
          .update(schema.digestDeliveries)
          .set({
            status: permanent ? "failed" : "pending",
            attempts: sql`${schema.digestDeliveries.attempts} + 1`,
            lastError: result.error.slice(0, 500),
          })
          .where(eq(schema.digestDeliveries.id, d.id));
      });
      await db().batch([updates[0]!, ...updates.slice(1)]);
      done += chunk.length;
      options.onProgress?.({ done, total });
      await renew();
    };

    // Two chunks in flight: one is rendered and recorded while the other waits on the network.
    // Request starts stay at least 1/rate apart.
    const inFlight = new Set<Promise<void>>();
    let nextRequestAt = 0;
    for (let i = 0; i < rows.length; i += BATCH_LIMIT) {
      const chunk = rows.slice(i, i + BATCH_LIMIT).filter((d) => d.status === "pending" && wanted.has(d.userId));
      if (chunk.length === 0) continue;
      while (inFlight.size >= SENDS_IN_FLIGHT) await Promise.race(inFlight);
      const wait = nextRequestAt - Date.now();
      if (wait > 0) await sleep(wait);
      nextRequestAt = Date.now() + gapMs;
      const sending: Promise<void> = sendChunk(chunk).finally(() => inFlight.delete(sending));
      inFlight.add(sending);
    }
    await Promise.all(inFlight);

    const { dryRunRecipients: _unused, ...stored } = { ...summary, elapsedMs: Date.now() - started };
    await db()
      .update(schema.digestRuns)
      .set({ status: "finished", finishedAt: Date.now(), lastRunOn: utcDate(now), summary: JSON.stringify(stored) })
      .where(eq(schema.digestRuns.week, week));
    log.info("digest run finished", stored);
    return { ...summary, elapsedMs: Date.now() - started };
  } catch (error) {
    if (!(error instanceof DigestInputError)) log.error("digest run failed", { week, ...errorFields(error) });
    throw error;
  } finally {
    if (heartbeat) clearInterval(heartbeat);
    if (!dryRun) await releaseLease(DIGEST_LEASE, holder).catch(() => {});
  }
}

/**
 * The scheduler's check, every minute: run when today's send time has passed and today has not
 * been covered yet. After downtime this catches up at once: everyone whose day has come this week
 * and who has no digest yet gets it.
 */
export async function runScheduledDigest(now = Date.now()): Promise<DigestSummary | null> {
  const settings = digestSettings();
  const today = utcDate(now);
  const sendTime = Date.parse(`${today}T00:00:00Z`) + settings.minutesAfterMidnight * 60_000;
  if (now < sendTime) return null;
  const week = isoWeekOf(now);
  const run = await db().select().from(schema.digestRuns).where(eq(schema.digestRuns.week, week)).get();
  if (run?.lastRunOn === today && run.status === "finished") return null;
  return runDigest({ week, now });
}

/** Deliveries of one week by status, for operators and tests. */
export async function deliveryCounts(week: string): Promise<Record<string, number>> {
  const rows = await db()
    .select({ status: schema.digestDeliveries.status, n: sql<number>`count(*)` })
    .from(schema.digestDeliveries)
    .where(eq(schema.digestDeliveries.week, week))
    .groupBy(schema.digestDeliveries.status)
    .all();
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}
