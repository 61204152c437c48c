// The match digest job, shared by the CLI (scripts/digest.ts), the scheduler and
// POST /internal/jobs/digest. Exactly once per person and ISO week, streamed 100 people at a time:
//   1. plan: rank the next people's matches and write their pending delivery rows with the items;
//   2. send: those deliveries as one Resend batch request, paced, each email keyed
//      `digest:<week>:user:<id>` and the request keyed by its recipients, while the next chunk is
//      being planned. A rerun finds unfinished deliveries and rebuilds the same requests from the
//      stored items, so it sends only what is missing.
// A lease in the database keeps two runs from sending at the same time. Memory holds the people
// and the matching data, never all of a week's digests (a dry run streams its recipients out).
import { randomUUID } from "node:crypto";
import { closeSync, openSync, writeSync } from "node:fs";
import { and, eq, inArray, sql } from "drizzle-orm";
import { db, schema } from "#app/utils/db.server.ts";
import { env } from "#app/utils/env.server.ts";
import { errorFields, log } from "#app/utils/log.server.ts";
import { BATCH_LIMIT, sendBatch, type OutgoingEmail } from "#app/utils/email.server.ts";
import { acquireLease, releaseLease } from "#app/jobs/scheduler.server.ts";
import { createMatcher, loadMatchingData, type Match } from "#app/models/digest/matching.server.ts";
import {
  normalizeAddress,
  preferenceSkip,
  suppressedAddresses,
  toPreferences,
  unsubscribeUrl,
  type SkipReason,
} from "#app/models/digest/digest.server.ts";
import { isIsoWeek, isoWeekOf, utcDate } from "#app/models/digest/weeks.ts";
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
  /** People settled so far (sent, skipped or failed) out of those who may get one; emails sent. */
  onProgress?: (progress: { done: number; total: number; sent: number }) => void;
  /** Dry runs: each recipient as soon as it is planned (else they are collected in the summary). */
  onDryRunRecipient?: (recipient: DryRunRecipient) => void;
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
  /** Dry runs without `onDryRunRecipient`: every recipient (fine for a few; streamed at scale). */
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

/** One person's digest on its way: their delivery row and what it shows. */
type Planned = { deliveryId: number; recipient: Recipient; items: DigestItem[] };
/**
 * A planned digest waiting for its chunk, with its items as the JSON the delivery row stores.
 * Kept as a string while it waits: objects that outlive a few garbage collections teach V8 to
 * allocate every later object of their kind in the old generation, and matching makes millions.
 */
type Waiting = { recipient: Recipient; items: string };

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

/**
 * The dry run's JSON file, written as recipients come: the same text as
 * `JSON.stringify({ week, recipients }, null, 2)`, without holding every recipient in memory.
 */
export function openDryRunJson(file: string, week: string) {
  const fd = openSync(file, "w");
  let pending = `{\n  "week": ${JSON.stringify(week)},\n  "recipients": [`;
  let count = 0;
  const flush = () => {
    writeSync(fd, pending);
    pending = "";
  };
  return {
    write(recipient: DryRunRecipient) {
      pending += `${count === 0 ? "" : ","}\n    ${JSON.stringify(recipient, null, 2).replace(/\n/g, "\n    ")}`;
      count += 1;
      if (pending.length > 1 << 16) flush();
    },
    close() {
      pending += count === 0 ? "]\n}\n" : "\n  ]\n}\n";
      flush();
      closeSync(fd);
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
    // Ids and statuses only: stored items are read back chunk by chunk, when a chunk is resent.
    const dd = schema.digestDeliveries;
    const existingRows = await db()
      .select({ id: dd.id, userId: dd.userId, status: dd.status, createdAt: dd.createdAt })
      .from(dd)
      .where(eq(dd.week, week))
      .orderBy(dd.id)
      .all();
    const existing = new Map(existingRows.map((d) => [d.userId, d]));
    const only = options.only?.toLowerCase();
    const chosen = only ? recipients.filter((r) => r.login.toLowerCase() === only) : recipients;
    if (only && chosen.length === 0) throw new DigestInputError(`--only: nobody with the login ${options.only}`);

    // Who may get a digest at all, from preferences alone; matching happens later, chunk by chunk.
    const unfinished = new Map<number, Recipient>();
    const fresh: Recipient[] = [];
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
      if (delivery) unfinished.set(r.id, r);
      else fresh.push(r);
    }

    const data = await loadMatchingData(week, now);
    const matcher = createMatcher(data);

    // Progress counts people: each is settled when skipped or when their chunk has been sent.
    const total = unfinished.size + fresh.length;
    let settled = 0;
    const progress = () => options.onProgress?.({ done: settled, total, sent: summary.sent });
    progress();

    // Sending: at most two requests in flight, starts at least 1/rate apart (plus a margin). The next chunk is
    // matched, recorded and rendered while the previous one is on the network.
    const rate = options.ratePerSecond ?? settings.ratePerSecond;
    // A little over 1/rate apart: a request leaves some milliseconds after its start here (its
    // batch is rendered and claimed first), and one that lands a hair inside the provider's
    // one-second window gets a 429 whose retry-after costs a whole second.
    const gapMs = env().demo ? 0 : 1030 / rate;
    const inFlight = new Set<Promise<void>>();
    let nextRequestAt = 0;
    const sendChunk = async (chunk: Planned[]) => {
      // Rendered only now (a few milliseconds for 100), straight into sendBatch, which lets go of
      // each email once it is in the request body: no reference here keeps them for the request.
      const results = await sendBatch(chunk.map((p) => buildDigestEmail(p.recipient, week, p.items)));
      const finishedAt = Date.now();
      // Sent ones in one statement (a chunk is usually all sent); failures one by one.
      const sent: { id: number; messageId: string }[] = [];
      const failures = [];
      for (const [j, { deliveryId }] of chunk.entries()) {
        const result = results[j]!;
        if (result.ok) {
          if (result.skipped) summary.alreadySent += 1;
          else summary.sent += 1;
          sent.push({ id: deliveryId, messageId: result.id });
          continue;
        }
        // A 4xx other than 429 would fail the same way again: record it and move on.
        const permanent =
          result.status !== undefined && result.status >= 400 && result.status < 500 && result.status !== 429;
        if (permanent) summary.failed += 1;
        else summary.retryLater += 1;
        failures.push(
          db()
            .update(dd)
            .set({
              status: permanent ? "failed" : "pending",
              attempts: sql`${dd.attempts} + 1`,
              lastError: result.error.slice(0, 500),
            })
            .where(eq(dd.id, deliveryId)),
        );
      }
      const updates = [
        ...(sent.length > 0
          ? [
              db().run(sql`
                UPDATE ${dd} SET status = 'sent', provider_message_id = json_extract(j.value, '$.messageId'),
                  attempts = attempts + 1, last_error = NULL, sent_at = ${finishedAt}
                FROM json_each(${JSON.stringify(sent)}) AS j
                WHERE ${dd}.id = json_extract(j.value, '$.id')`),
            ]
          : []),
        ...failures,
      ];
      await db().batch(updates as [(typeof updates)[number], ...typeof updates]);
      settled += chunk.length;
      progress();
      await renew();
    };
    const dispatch = async (chunk: Planned[]) => {
      if (chunk.length === 0) return;
      summary.recipients += chunk.length;
      if (dryRun) {
        for (const p of chunk) emitDryRun(p);
        settled += chunk.length;
        return;
      }
      while (inFlight.size >= SENDS_IN_FLIGHT) await Promise.race(inFlight);
      const wait = nextRequestAt - Date.now();
      if (wait > 0) await sleep(wait);
      nextRequestAt = Date.now() + gapMs;
      const sending: Promise<void> = sendChunk(chunk).finally(() => inFlight.delete(sending));
      // Digests that die young cost the least memory.
      chunk.forEach((p) => (p.items = []));
      inFlight.add(sending);
    };
    const appUrl = env().appUrl;
    const emitDryRun = (p: Planned) => {
      const recipient: DryRunRecipient = {
        login: p.recipient.login,
        email: p.recipient.email ?? "",
        matches: p.items.map((i) => ({
          kind: i.kind,
          id: i.id,
          url: `${appUrl}${i.path}`,
          title: i.title,
          score: i.score,
          reasons: i.reasons,
        })),
      };
      if (options.onDryRunRecipient) options.onDryRunRecipient(recipient);
      else (summary.dryRunRecipients ??= []).push(recipient);
    };
    let budget = options.limit ?? Infinity;
    const takeBudget = () => {
      if (budget <= 0) {
        skip("limit");
        settled += 1;
        return false;
      }
      budget -= 1;
      return true;
    };

    // 1. Deliveries an earlier run of this week planned but did not finish, in the chunks that
    // run sent them in: a run's deliveries (same created_at) in id order, 100 at a time. So a
    // chunk that reached Resend before the crash is rebuilt with the same recipients, bodies and
    // Idempotency-Key, and Resend answers it without sending again.
    const generations = new Map<number, typeof existingRows>();
    for (const row of existingRows) {
      const list = generations.get(row.createdAt) ?? [];
      list.push(row);
      generations.set(row.createdAt, list);
    }
    for (const rows of generations.values()) {
      for (let i = 0; i < rows.length; i += BATCH_LIMIT) {
        const slice = rows.slice(i, i + BATCH_LIMIT).filter((d) => d.status === "pending" && unfinished.has(d.userId));
        const wanted = slice.filter(takeBudget);
        if (wanted.length === 0) continue;
        const stored = await db()
          .select({ id: dd.id, items: dd.items })
          .from(dd)
          .where(
            inArray(
              dd.id,
              wanted.map((d) => d.id),
            ),
          )
          .all();
        const itemsById = new Map(stored.map((s) => [s.id, parseItems(s.items)]));
        const chunk: Planned[] = [];
        for (const d of wanted) {
          const items = itemsById.get(d.id) ?? [];
          if (items.length === 0) {
            skip("nothing-to-show");
            settled += 1;
            continue;
          }
          chunk.push({ deliveryId: d.id, recipient: unfinished.get(d.userId)!, items });
        }
        await dispatch(chunk);
      }
    }

    // 2. Everyone else, in user order: matched, recorded as pending and sent 100 at a time, so
    // memory holds one chunk's digests, not the week's. Each run's chunks start at a multiple of
    // 100 of its own deliveries, which is how step 1 finds them again after a crash.
    let buffer: Waiting[] = [];
    const flush = async () => {
      const batch = buffer;
      buffer = [];
      if (batch.length === 0) return;
      // One statement with the rows as one JSON parameter: 100 rows of 5 values each cost more
      // to build through the query builder than to write.
      const rows = JSON.stringify(batch.map((b) => ({ u: b.recipient.id, i: b.items })));
      const inserted = await db().all<{ id: number; userId: number }>(sql`
        INSERT INTO ${dd} (week, user_id, status, items, created_at)
        SELECT ${week}, json_extract(value, '$.u'), 'pending', json_extract(value, '$.i'), ${now}
        FROM json_each(${rows}) WHERE true
        -- Only another run that took over an expired lease could have planned these people.
        ON CONFLICT DO NOTHING
        RETURNING id, user_id AS userId`);
      const idByUser = new Map(inserted.map((row) => [row.userId, row.id]));
      const chunk: Planned[] = [];
      for (const b of batch) {
        const deliveryId = idByUser.get(b.recipient.id);
        if (deliveryId === undefined) settled += 1;
        else chunk.push({ deliveryId, recipient: b.recipient, items: parseItems(b.items) });
      }
      await dispatch(chunk);
    };
    let considered = 0;
    for (const r of fresh) {
      // Matching is synchronous: let requests in flight finish between slices of people.
      if (++considered % BATCH_LIMIT === 0) await new Promise((resolve) => setImmediate(resolve));
      const matches = matcher.matchesFor(r.id, r.prefs.sections);
      if (matches.length === 0) {
        skip("nothing-to-show");
        settled += 1;
        continue;
      }
      if (!takeBudget()) continue;
      if (dryRun) {
        await dispatch([{ deliveryId: 0, recipient: r, items: matches.map(toItem) }]);
        continue;
      }
      buffer.push({ recipient: r, items: JSON.stringify(matches.map(toItem)) });
      if (buffer.length === BATCH_LIMIT) await flush();
    }
    await flush();
    await Promise.all(inFlight);
    progress();

    if (dryRun) return { ...summary, elapsedMs: Date.now() - started };

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
