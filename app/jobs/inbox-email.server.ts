// The notification email job: the inbox's notifications go out by email, grouped, according to each
// person's switches. Runs every minute (app/jobs/registry.server.ts) in two steps:
//
// 1. Plan. Every notification not yet dealt with (`emailedAt` null) is either skipped (read already,
//    a kind whose event sends its own email, a kind the person switched off, no address to write
//    to) or grouped: the notifications of one thread, once the first of them is THREAD_QUIET_MS
//    old, into one email; the others, once the oldest is SUMMARY_AFTER_MS old and the person had no
//    summary in SUMMARY_EVERY_MS, into one summary. A group is written to `notification_emails` in
//    the same write that marks its notifications emailed, so it is planned exactly once.
// 2. Send. Each planned email not done yet is built from what is still unread now (read meanwhile:
//    not emailed; nothing left: no email) and sent under the ledger key `inbox:<plan key>`, then
//    marked done. A run killed anywhere sends nothing twice when run again: a plan already sent is
//    found in the ledger (and Resend's idempotency key covers a send the ledger missed).
//
// The address is never chosen here: the send path sends to the person's delivery address
// (app/utils/email-address.server.ts). Emails carry links, never another person's address, and a
// confidential request's conversation is only "a confidential conversation" and its link.
import { and, asc, eq, inArray, isNull, sql } from "drizzle-orm";
import { db, schema } from "#app/utils/db.server.ts";
import { env } from "#app/utils/env.server.ts";
import { DAY_MS, HOUR_MS, MINUTE_MS } from "#app/utils/dates.ts";
import { errorFields, log } from "#app/utils/log.server.ts";
import { addressesFor } from "#app/utils/email-address.server.ts";
import { isPermanentFailure, sendBatch, type OutgoingEmail } from "#app/utils/email.server.ts";
import { isSwitchedOff, switchedOffAmong } from "#app/utils/email-preferences.server.ts";
import { isNotificationKind, notificationCatalogue, notificationLabel } from "#app/models/inbox/catalogue.ts";
import { isMember, subjectOf, type Subject } from "#app/models/conversations/membership.server.ts";
import { inboxThreadEmail } from "#emails/inbox-thread.tsx";
import { inboxSummaryEmail } from "#emails/inbox-summary.tsx";
import type { EmailKind } from "#db/schema/notifications.ts";

/** A thread's email waits this long after its first unemailed notification, to gather a burst. */
export const THREAD_QUIET_MS = 5 * MINUTE_MS;
/** Other notifications wait this long unread before they go into a summary. */
export const SUMMARY_AFTER_MS = 2 * HOUR_MS;
/** At most one summary per person in this time. */
export const SUMMARY_EVERY_MS = 6 * HOUR_MS;
/** A planned email refused this long (no address, suppressed, a failing provider) is given up. */
const GIVE_UP_AFTER_MS = DAY_MS;
/** Notifications read per planning step (a bound on memory); the rest wait for the next minute. */
const PLAN_LIMIT = 50_000;
/** Planned emails sent per request to the provider, each chunk recorded before the next. */
const SEND_CHUNK = 50;

const n = schema.notifications;
const ne = schema.notificationEmails;

export type InboxEmailRun = { skipped: number; planned: number; sent: number; dropped: number };

/** One run of the job: plan what is due, then send every planned email not sent yet. */
export async function runInboxEmails(now = Date.now()): Promise<InboxEmailRun> {
  const { skipped, planned } = await planInboxEmails(now);
  const { sent, dropped } = await sendPlannedEmails(now);
  if (skipped || planned || sent || dropped) log.info("inbox emails", { skipped, planned, sent, dropped });
  return { skipped, planned, sent, dropped };
}

type Pending = { id: number; userId: number; kind: string; threadId: number | null; createdAt: number };

/** Step 1: skips what is not to be emailed and groups the rest into planned emails that are due. */
export async function planInboxEmails(now = Date.now()): Promise<{ skipped: number; planned: number }> {
  const all = await db()
    .select({
      id: n.id,
      userId: n.userId,
      kind: n.kind,
      threadId: n.threadId,
      createdAt: n.createdAt,
      readAt: n.readAt,
    })
    .from(n)
    .where(isNull(n.emailedAt))
    .orderBy(n.id)
    .limit(PLAN_LIMIT)
    .all();
  const skipIds = new Set<number>();
  const rows: Pending[] = [];
  // Read before any email went out: not emailed.
  for (const r of all) {
    if (r.readAt === null) rows.push(r);
    else skipIds.add(r.id);
  }
  const kept = await keepEmailable(rows, skipIds);
  await markEmailed([...skipIds], now);

  let planned = 0;
  const threads = groupBy(
    kept.filter((r) => r.threadId !== null),
    (r) => `${r.userId}:${r.threadId}`,
  );
  for (const group of threads.values()) {
    const first = group[0]!;
    if (now - first.createdAt < THREAD_QUIET_MS) continue;
    if (await plan(`thread:${first.userId}:${first.threadId}:${first.id}`, "thread", group, now)) planned++;
  }

  const others = groupBy(
    kept.filter((r) => r.threadId === null),
    (r) => String(r.userId),
  );
  const lastSummaries = await lastSummaryAt([...others.values()].map((g) => g[0]!.userId));
  for (const group of others.values()) {
    const first = group[0]!;
    if (now - Math.min(...group.map((r) => r.createdAt)) < SUMMARY_AFTER_MS) continue;
    if (now - (lastSummaries.get(first.userId) ?? 0) < SUMMARY_EVERY_MS) continue;
    if (await plan(`summary:${first.userId}:${first.id}`, "summary", group, now)) planned++;
  }
  return { skipped: skipIds.size, planned };
}

/** The rows to email; adds the others to `skip`. */
async function keepEmailable(rows: Pending[], skip: Set<number>): Promise<Pending[]> {
  const emailKindOf = (r: Pending): EmailKind | null =>
    isNotificationKind(r.kind) ? notificationCatalogue[r.kind].emailKind : null;
  const [off, addresses, suspended] = await Promise.all([
    switchedOffAmong(
      rows.flatMap((r) => {
        const kind = emailKindOf(r);
        if (!kind) return [];
        return r.threadId === null
          ? [
              { userId: r.userId, kind },
              { userId: r.userId, kind: "inbox-summary" as const },
            ]
          : [{ userId: r.userId, kind }];
      }),
    ),
    addressesFor(rows.map((r) => r.userId)),
    suspendedAmong(rows.map((r) => r.userId)),
  ]);
  return rows.filter((r) => {
    const kind = emailKindOf(r);
    const keep =
      kind !== null &&
      isNotificationKind(r.kind) &&
      !notificationCatalogue[r.kind].sentByOwnEmail &&
      !isSwitchedOff(off, r.userId, kind) &&
      !(r.threadId === null && isSwitchedOff(off, r.userId, "inbox-summary")) &&
      Boolean(addresses.get(r.userId)) &&
      // A suspended account cannot sign in to read what the email would point at.
      !suspended.has(r.userId);
    if (!keep) skip.add(r.id);
    return keep;
  });
}

async function suspendedAmong(userIds: number[]): Promise<Set<number>> {
  const ids = [...new Set(userIds)];
  const found = new Set<number>();
  const s = schema.accountSuspensions;
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db()
      .select({ userId: s.userId })
      .from(s)
      .where(inArray(s.userId, ids.slice(i, i + 500)))
      .all();
    for (const row of rows) found.add(row.userId);
  }
  return found;
}

async function markEmailed(ids: number[], now: number) {
  for (let i = 0; i < ids.length; i += 500) {
    await db()
      .update(n)
      .set({ emailedAt: now })
      .where(and(inArray(n.id, ids.slice(i, i + 500)), isNull(n.emailedAt)));
  }
}

/** Records one planned email and marks its notifications emailed, in one write. */
async function plan(key: string, kind: "thread" | "summary", group: Pending[], now: number): Promise<boolean> {
  const ids = group.map((r) => r.id);
  const [inserted] = await db().batch([
    db()
      .insert(ne)
      .values({
        key,
        userId: group[0]!.userId,
        kind,
        threadId: group[0]!.threadId,
        notificationIds: ids,
        createdAt: now,
      })
      .onConflictDoNothing({ target: ne.key })
      .returning({ id: ne.id }),
    db()
      .update(n)
      .set({ emailedAt: now })
      .where(and(inArray(n.id, ids), isNull(n.emailedAt))),
  ]);
  return inserted.length > 0;
}

async function lastSummaryAt(userIds: number[]): Promise<Map<number, number>> {
  const found = new Map<number, number>();
  for (let i = 0; i < userIds.length; i += 500) {
    const rows = await db()
      .select({ userId: ne.userId, at: sql<number>`max(${ne.createdAt})` })
      .from(ne)
      .where(and(eq(ne.kind, "summary"), inArray(ne.userId, userIds.slice(i, i + 500))))
      .groupBy(ne.userId)
      .all();
    for (const row of rows) found.set(row.userId, row.at);
  }
  return found;
}

type Planned = typeof ne.$inferSelect;

/** Step 2: sends every planned email not done yet, a chunk at a time, and marks each done. */
export async function sendPlannedEmails(now = Date.now()): Promise<{ sent: number; dropped: number }> {
  const planned = await db().select().from(ne).where(isNull(ne.doneAt)).orderBy(ne.id).limit(1000).all();
  let sent = 0;
  let dropped = 0;
  for (let i = 0; i < planned.length; i += SEND_CHUNK) {
    const chunk = planned.slice(i, i + SEND_CHUNK);
    const built: { row: Planned; email: OutgoingEmail }[] = [];
    const addresses = await addressesFor(chunk.map((r) => r.userId));
    for (const row of chunk) {
      try {
        const email = await buildEmail(row, addresses.get(row.userId) ?? null, now);
        if (typeof email === "string") {
          await markDone(row.id, email, now);
          dropped++;
        } else built.push({ row, email });
      } catch (error) {
        log.error("inbox email could not be built", { planId: row.id, ...errorFields(error) });
      }
    }
    if (built.length === 0) continue;
    const results = await sendBatch(built.map((b) => b.email));
    for (const [j, { row }] of built.entries()) {
      const result = results[j]!;
      if (result.ok) {
        await markDone(row.id, "sent", now);
        sent++;
      } else if (isPermanentFailure(result.status) || now - row.createdAt >= GIVE_UP_AFTER_MS) {
        await markDone(row.id, "gave-up", now);
        dropped++;
      }
      // Otherwise it stays planned: the next minute's run tries again.
    }
  }
  return { sent, dropped };
}

async function markDone(id: number, outcome: string, now: number) {
  await db()
    .update(ne)
    .set({ doneAt: now, outcome })
    .where(and(eq(ne.id, id), isNull(ne.doneAt)));
}

/** The email for a plan, or why there is none to send (the outcome recorded). */
async function buildEmail(row: Planned, address: string | null, now: number): Promise<OutgoingEmail | string> {
  if (!address) return "no-address";
  const unread = await db()
    .select({ id: n.id, kind: n.kind, title: n.title, href: n.href, key: n.key })
    .from(n)
    .where(and(inArray(n.id, row.notificationIds), eq(n.userId, row.userId), isNull(n.readAt)))
    .orderBy(n.id)
    .all();
  if (unread.length === 0) return "read";
  const kinds = unread.flatMap((r) => (isNotificationKind(r.kind) ? [notificationCatalogue[r.kind].emailKind] : []));
  const kind: EmailKind = row.kind === "summary" ? "inbox-summary" : (kinds[0] ?? "conversations-messages");
  // Switched off since it was planned: not sent, and not tried again.
  const off = await switchedOffAmong([...new Set([...kinds, kind])].map((k) => ({ userId: row.userId, kind: k })));
  if (isSwitchedOff(off, row.userId, kind)) return "switched-off";
  const appUrl = env().appUrl;
  const base = { to: address, userId: row.userId, kind, idempotencyKey: `inbox:${row.key}` };

  if (row.kind === "summary") {
    const { subject, react } = inboxSummaryEmail({
      items: unread.map((r) => ({ label: notificationLabel(r.kind), title: r.title, url: `${appUrl}${r.href}` })),
      inboxUrl: `${appUrl}/inbox`,
      appUrl,
    });
    return { ...base, subject, react, template: "inbox-summary" };
  }

  const thread = row.threadId
    ? await db().select().from(schema.threads).where(eq(schema.threads.id, row.threadId)).get()
    : undefined;
  const subject = thread ? await subjectOf(thread, now) : null;
  // Out of the conversation since (a power that ended, a subject that closed to them): no email.
  if (!thread || !subject || !isMember(subject, row.userId)) return "not-member";
  // Muted since the messages came: the person asked to hear no more of this thread.
  const state = await db()
    .select({ mutedAt: schema.threadStates.mutedAt })
    .from(schema.threadStates)
    .where(and(eq(schema.threadStates.threadId, thread.id), eq(schema.threadStates.userId, row.userId)))
    .get();
  if (state?.mutedAt != null) return "muted";
  const live = await liveMessages(thread.id, unread);
  if (live.count === 0) return "deleted";
  const email = inboxThreadEmail({
    threadLabel: subject.confidential ? null : subject.safeTitle,
    count: live.count,
    authors: subject.confidential ? [] : await authorNames(live.authorIds, subject),
    threadUrl: `${appUrl}/threads/${thread.id}`,
    appUrl,
  });
  return { ...base, ...email, template: "inbox-thread" };
}

/**
 * Of a thread's unread notifications, those whose message is still there (a message deleted before
 * the email went out is not counted), and who wrote them. A notification that names no message
 * counts as it is.
 */
async function liveMessages(threadId: number, unread: { key: string }[]) {
  const messageIds = unread.flatMap((r) => {
    const match = /^message:(\d+)$/.exec(r.key);
    return match ? [Number(match[1])] : [];
  });
  const others = unread.length - messageIds.length;
  if (messageIds.length === 0) return { count: others, authorIds: [] as number[] };
  const m = schema.messages;
  const rows = await db()
    .select({ authorId: m.authorId })
    .from(m)
    .where(and(inArray(m.id, messageIds), eq(m.threadId, threadId), isNull(m.deletedAt)))
    .all();
  return {
    count: others + rows.length,
    authorIds: [...new Set(rows.flatMap((r) => (r.authorId === null ? [] : [r.authorId])))],
  };
}

/** "@login" for each author, "the applicant" where the review is still anonymous. */
async function authorNames(ids: number[], subject: Subject): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await db()
    .select({ id: schema.users.id, login: schema.users.login })
    .from(schema.users)
    .where(inArray(schema.users.id, ids))
    .orderBy(asc(sql`lower(${schema.users.login})`))
    .all();
  return rows.map((r) => (r.id === subject.anonymousUserId ? "the applicant" : `@${r.login}`));
}

function groupBy<T>(rows: T[], keyOf: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const list = groups.get(key);
    if (list) list.push(row);
    else groups.set(key, [row]);
  }
  return groups;
}
