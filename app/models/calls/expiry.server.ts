// Calls over time: open calls expire after their last day, maintainers get a reminder a week
// before with a one-click renewal link, and the scheduled work of the calls area (runCallsJobs).
import { and, eq, inArray, sql } from "drizzle-orm";
import { db, schema } from "#app/utils/db.server.ts";
import { env } from "#app/utils/env.server.ts";
import { sendEmail } from "#app/utils/email.server.ts";
import { createSignedToken, verifySignedToken } from "#app/utils/signed-token.server.ts";
import { DAY_MS, isoDay } from "#app/utils/dates.ts";
import { listMaintainerRecipients } from "#app/models/packages/maintainers.server.ts";
import { eventRow, getCall, parseCallId, type CallDetail } from "#app/models/calls/calls.server.ts";
import { deliverDueAnnouncements } from "#app/models/calls/announcements.server.ts";
import { MAX_EXPIRY_DAYS } from "#app/models/calls/forms.ts";
import { notificationWrites } from "#app/models/inbox/notifications.server.ts";
import { callExpiryEmail } from "#emails/calls-expiry.tsx";

export const REMINDER_DAYS = 7;
export const RENEWAL_DAYS = 90;
const RENEW_PURPOSE = "call-renew";

function addDays(day: string, days: number): string {
  return isoDay(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS);
}

/** Open calls whose last day has passed become expired, each with an event. */
export async function expireCalls(now = Date.now()) {
  const today = isoDay(now);
  const due = await db()
    .select({ id: schema.calls.id })
    .from(schema.calls)
    .where(and(eq(schema.calls.status, "open"), sql`${schema.calls.expiresOn} < ${today}`))
    .all();
  if (!due.length) return 0;
  const ids = due.map((d) => d.id);
  await db().batch([
    db()
      .update(schema.calls)
      .set({ status: "expired", updatedAt: now })
      .where(and(inArray(schema.calls.id, ids), eq(schema.calls.status, "open"))),
    ...ids.map((id) => eventRow(id, null, "status_changed", "open", "expired", null, now)),
  ]);
  return ids.length;
}

export function renewalToken(callId: number, expiresOn: string) {
  // Valid until two weeks after the expiry it was sent for; tied to that date so it renews once.
  return createSignedToken({
    purpose: RENEW_PURPOSE,
    subject: `${callId}:${expiresOn}`,
    expiresAt: Date.parse(`${expiresOn}T00:00:00Z`) + 15 * DAY_MS,
  });
}

/** Seven days before expiry, the maintainers get one email per expiry date with a renewal link. */
export async function sendExpiryReminders(now = Date.now()) {
  const c = schema.calls;
  const today = isoDay(now);
  const horizon = addDays(today, REMINDER_DAYS);
  const due = await db()
    .select({
      id: c.id,
      title: c.title,
      expiresOn: c.expiresOn,
      packageId: c.packageId,
      packageName: schema.packages.name,
    })
    .from(c)
    .innerJoin(schema.packages, eq(schema.packages.id, c.packageId))
    .where(
      and(
        inArray(c.status, ["open", "in_conversation"]),
        sql`${c.expiresOn} >= ${today} AND ${c.expiresOn} <= ${horizon}`,
        sql`${c.expiryReminderSentAt} IS NULL`,
      ),
    )
    .limit(500)
    .all();
  const appUrl = env().appUrl;
  for (const call of due) {
    const token = renewalToken(call.id, call.expiresOn);
    const renewUrl = `${appUrl}/calls/${call.id}/renew?token=${encodeURIComponent(token)}`;
    const recipients = await listMaintainerRecipients(call.packageId);
    for (const m of recipients) {
      if (!m.email) continue;
      const { subject, react } = callExpiryEmail({
        appUrl,
        callId: call.id,
        callTitle: call.title,
        packageName: call.packageName,
        expiresOn: call.expiresOn,
        renewUrl,
      });
      await sendEmail({
        to: m.email,
        subject,
        react,
        template: "calls-expiry",
        kind: "calls-expiry",
        idempotencyKey: `call-expiry:${call.id}:${call.expiresOn}:${m.id}`,
        userId: m.id,
      });
    }
    await db().batch([
      db().update(c).set({ expiryReminderSentAt: now }).where(eq(c.id, call.id)),
      eventRow(call.id, null, "reminder_sent", null, null, `expires ${call.expiresOn}`, now),
      // [inbox] every verified maintainer, with or without an address, once per expiry date.
      ...notificationWrites(
        recipients.map((m) => ({
          userId: m.id,
          kind: "call-expiring" as const,
          title: `Your call “${call.title}” (${call.packageName}) expires on ${call.expiresOn}`,
          href: `/calls/${call.id}/manage`,
          key: `call-expiring:${call.id}:${call.expiresOn}`,
        })),
        now,
      ),
    ]);
  }
  return due.length;
}

export type RenewalCheck =
  { ok: true; call: CallDetail; newExpiresOn: string } | { ok: false; reason: "invalid" | "finished" | "already" };

/** What a renewal link would do, without doing it (the GET confirm page). */
export async function checkRenewalToken(token: string, now = Date.now()): Promise<RenewalCheck> {
  const subject = verifySignedToken(token, RENEW_PURPOSE, now);
  const [rawId, expiresOn] = subject?.split(":") ?? [];
  const id = parseCallId(rawId);
  const call = id ? await getCall(id) : null;
  if (!call || !expiresOn) return { ok: false, reason: "invalid" };
  if (call.status === "filled" || call.status === "closed") return { ok: false, reason: "finished" };
  // The link renews the expiry it was sent for; once used (or the date edited) it is spent.
  if (call.expiresOn !== expiresOn) return { ok: false, reason: "already" };
  const base = expiresOn > isoDay(now) ? expiresOn : isoDay(now);
  const cap = isoDay(now + MAX_EXPIRY_DAYS * DAY_MS);
  const next = addDays(base, RENEWAL_DAYS);
  return { ok: true, call, newExpiresOn: next < cap ? next : cap };
}

export async function renewCall(token: string, now = Date.now()): Promise<RenewalCheck> {
  const check = await checkRenewalToken(token, now);
  if (!check.ok) return check;
  const { call, newExpiresOn } = check;
  const reopen = call.status === "expired";
  await db().batch([
    db()
      .update(schema.calls)
      .set({
        expiresOn: newExpiresOn,
        expiryReminderSentAt: null,
        updatedAt: now,
        ...(reopen ? { status: "open" as const } : {}),
      })
      .where(and(eq(schema.calls.id, call.id), eq(schema.calls.expiresOn, call.expiresOn))),
    eventRow(call.id, null, "renewed", null, null, `until ${newExpiresOn}`, now),
    ...(reopen
      ? [eventRow(call.id, null, "status_changed", "expired", "open", "renewed from the email link", now)]
      : []),
  ]);
  return check;
}

/** Scheduled work of the calls area: expiry, reminders, announcements. */
export async function runCallsJobs(now = Date.now()) {
  await expireCalls(now);
  await sendExpiryReminders(now);
  await deliverDueAnnouncements(now);
}
