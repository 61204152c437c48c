// The digest's first steps: plan recipients (who may get one this week, from preferences, the
// suppression list and the email ledger) and resume the ledger (the deliveries an earlier run of
// the week recorded but did not finish), plus recording newly planned deliveries with their items.
import { and, eq, inArray, sql } from "drizzle-orm";
import { db, schema } from "#app/utils/db.server.ts";
import { deliveryAddress } from "#app/utils/email-address.server.ts";
import { BATCH_LIMIT, deliveryState } from "#app/utils/email.server.ts";
import { normalizeAddress, suppressedAddresses } from "#app/utils/email-suppressions.server.ts";
import { preferenceSkip, toPreferences, type SkipReason } from "#app/models/digest/digest.server.ts";
import type { Match } from "#app/models/digest/matching-rules.ts";

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

export type Recipient = {
  id: number;
  login: string;
  name: string | null;
  email: string | null;
  prefs: ReturnType<typeof toPreferences>;
  lastSentWeek: string | null;
};

/** One person's digest on its way: their delivery row and what it shows. */
export type Planned = { deliveryId: number; recipient: Recipient; items: DigestItem[] };

/** The idempotency key of a person's digest of a week: its row in the email ledger. */
export const digestEmailKey = (week: string, userId: number) => `digest:${week}:user:${userId}`;

const dd = schema.digestDeliveries;
const ed = schema.emailDeliveries;

/** A delivery of the week already recorded, with what the email ledger says about it. */
export type RecordedDelivery = {
  id: number;
  userId: number;
  createdAt: number;
  state: ReturnType<typeof deliveryState>;
};

export type RecipientPlan = {
  /** People with a recorded delivery still to send, by id. */
  unfinished: Map<number, Recipient>;
  /** People with no delivery this week who may get one, in id order; matched later, chunk by chunk. */
  fresh: Recipient[];
  /** The week's recorded deliveries, in id order (ids and states only: items are read back per chunk). */
  recorded: RecordedDelivery[];
};

/** How planning settles people who get nothing from this run; counted in the run's summary. */
export type PlanTally = {
  alreadySent(): void;
  failed(): void;
  skip(reason: SkipReason): void;
};

async function loadRecipients(week: string, defaultDay: number): Promise<Recipient[]> {
  const u = schema.users;
  const p = schema.digestPreferences;
  const rows = await db()
    .select({ id: u.id, login: u.login, name: u.name, email: deliveryAddress, pref: p })
    .from(u)
    .leftJoin(p, eq(p.userId, u.id))
    .where(sql`${u.id} NOT IN (SELECT user_id FROM ${schema.accountSuspensions})`)
    .orderBy(u.id)
    .all();
  const last = await db()
    .select({ userId: dd.userId, week: sql<string>`max(${dd.week})` })
    .from(dd)
    .innerJoin(ed, eq(ed.idempotencyKey, dd.emailKey))
    .where(and(eq(ed.status, "sent"), sql`${dd.week} < ${week}`))
    .groupBy(dd.userId)
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

async function loadRecorded(week: string): Promise<RecordedDelivery[]> {
  const rows = await db()
    .select({ id: dd.id, userId: dd.userId, createdAt: dd.createdAt, status: ed.status, permanent: ed.permanent })
    .from(dd)
    .leftJoin(ed, eq(ed.idempotencyKey, dd.emailKey))
    .where(eq(dd.week, week))
    .orderBy(dd.id)
    .all();
  return rows.map((r) => ({ id: r.id, userId: r.userId, createdAt: r.createdAt, state: deliveryState(r) }));
}

/**
 * Step 1, plan recipients: who may get a digest at all, from preferences, the suppression list
 * and the ledger alone; matching happens later, chunk by chunk. `only` is a login, any case.
 */
export async function planRecipients(
  week: string,
  now: number,
  options: { only: string | undefined; defaultDay: number },
  tally: PlanTally,
): Promise<RecipientPlan | { nobodyCalled: string }> {
  const recipients = await loadRecipients(week, options.defaultDay);
  const suppressed = await suppressedAddresses();
  const recorded = await loadRecorded(week);
  const byUser = new Map(recorded.map((d) => [d.userId, d]));
  const only = options.only?.toLowerCase();
  const chosen = only ? recipients.filter((r) => r.login.toLowerCase() === only) : recipients;
  if (options.only && chosen.length === 0) return { nobodyCalled: options.only };

  const unfinished = new Map<number, Recipient>();
  const fresh: Recipient[] = [];
  for (const r of chosen) {
    const delivery = byUser.get(r.id);
    if (delivery?.state === "sent") {
      tally.alreadySent();
      continue;
    }
    if (delivery?.state === "failed") {
      tally.failed();
      continue;
    }
    // Checked again for unfinished deliveries: someone may have unsubscribed since.
    if (!r.email) {
      tally.skip("no-email");
      continue;
    }
    // The email module would refuse it too; skipped here so the summary says why.
    if (suppressed.has(normalizeAddress(r.email))) {
      tally.skip("suppressed");
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
      tally.skip(reason);
      continue;
    }
    if (delivery) unfinished.set(r.id, r);
    else fresh.push(r);
  }
  return { unfinished, fresh, recorded };
}

/**
 * Step 2, resume the ledger: the deliveries an earlier run of this week planned but did not
 * finish, in the chunks that run sent them in: a run's deliveries (same created_at) in id order,
 * 100 at a time. So a chunk that reached Resend before a crash is rebuilt with the same
 * recipients, bodies and Idempotency-Key, and Resend answers it without sending again.
 */
export function resumeChunks(plan: RecipientPlan): RecordedDelivery[][] {
  const generations = new Map<number, RecordedDelivery[]>();
  for (const row of plan.recorded) {
    const list = generations.get(row.createdAt) ?? [];
    list.push(row);
    generations.set(row.createdAt, list);
  }
  const chunks: RecordedDelivery[][] = [];
  for (const rows of generations.values()) {
    for (let i = 0; i < rows.length; i += BATCH_LIMIT) {
      const slice = rows
        .slice(i, i + BATCH_LIMIT)
        .filter((d) => d.state === "pending" && plan.unfinished.has(d.userId));
      if (slice.length > 0) chunks.push(slice);
    }
  }
  return chunks;
}

/** The stored items of some deliveries, by delivery id. */
export async function storedItems(deliveryIds: number[]): Promise<Map<number, DigestItem[]>> {
  const stored = await db().select({ id: dd.id, items: dd.items }).from(dd).where(inArray(dd.id, deliveryIds)).all();
  return new Map(stored.map((s) => [s.id, parseItems(s.items)]));
}

/**
 * Records people's deliveries as planned, with their items (as JSON), before anything is sent.
 * Returns the new delivery ids by user; a person another run planned already is left out.
 */
export async function recordPlanned(
  week: string,
  now: number,
  batch: { userId: number; items: string }[],
): Promise<Map<number, number>> {
  // One statement with the rows as one JSON parameter: 100 rows of 5 values each cost more
  // to build through the query builder than to write.
  const rows = JSON.stringify(batch.map((b) => ({ u: b.userId, i: b.items, k: digestEmailKey(week, b.userId) })));
  const inserted = await db().all<{ id: number; userId: number }>(sql`
    INSERT INTO ${dd} (week, user_id, items, email_key, created_at)
    SELECT ${week}, json_extract(value, '$.u'), json_extract(value, '$.i'), json_extract(value, '$.k'), ${now}
    FROM json_each(${rows}) WHERE true
    -- Only another run that took over an expired lease could have planned these people.
    ON CONFLICT DO NOTHING
    RETURNING id, user_id AS userId`);
  return new Map(inserted.map((row) => [row.userId, row.id]));
}

export function toItem(m: Match): DigestItem {
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

export function parseItems(json: string): DigestItem[] {
  try {
    const value = JSON.parse(json) as unknown;
    return Array.isArray(value) ? (value as DigestItem[]) : [];
  } catch {
    return [];
  }
}
