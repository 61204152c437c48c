// Reports: anyone signed in can report a call, a profile, a comment on a request or an interest's
// message they can see, once per object; the working group marks each handled or declined with a
// note, and the person who reported is emailed the outcome. Filing and deciding are audited.
import { and, asc, desc, eq, sql } from "drizzle-orm";
import { db, schema } from "#app/utils/db.server.ts";
import { deliveryAddress } from "#app/utils/email-address.server.ts";
import { env } from "#app/utils/env.server.ts";
import { sendEmail } from "#app/utils/email.server.ts";
import { log } from "#app/utils/log.server.ts";
import { formatDate } from "#app/utils/dates.ts";
import { auditEntry } from "#app/models/moderation/audit.server.ts";
import { canManageCall, getVisibleCall } from "#app/models/calls/calls.server.ts";
import { getPublicProfile } from "#app/models/people/profile.server.ts";
import { findUserIdByLogin } from "#app/models/people/roadies.server.ts";
import { findVisibleRequest } from "#app/models/requests/requests.server.ts";
import { findReportableMessage, threadOfMessage } from "#app/models/conversations/messages.server.ts";
import { moderationReportEmail } from "#emails/moderation-report.tsx";
import { reportTypeLabels } from "#app/models/moderation/forms.ts";
import { reportableTypes, type ReportableType, type User } from "#db/schema.ts";

type Reporter = Pick<User, "id" | "isAdmin">;

/** What a report points at, as the reporter and the working group see it. */
export type ReportTarget = { type: ReportableType; id: string; label: string; href: string };

export function parseReportableType(raw: string | undefined): ReportableType | null {
  return reportableTypes.find((t) => t === raw) ?? null;
}

/**
 * The object `viewer` wants to report, or null when it does not exist or they cannot see it (the
 * same answer either way). `rawId` is a number, or a login for a profile. The viewer may still be
 * on its way (the session being read): a profile is looked up beside it, and checked against it.
 */
export async function findReportTarget(
  viewerPending: Reporter | Promise<Reporter>,
  type: ReportableType,
  rawId: string | undefined,
): Promise<ReportTarget | null> {
  if (!rawId || !/^[A-Za-z0-9-]{1,39}$/.test(rawId)) return null;
  if (type === "profile") {
    const [profile, person, viewer] = await Promise.all([
      getPublicProfile(rawId, viewerPending),
      findUserIdByLogin(rawId),
      viewerPending,
    ]);
    if (!profile || !person || person.id === viewer.id) return null;
    return { type, id: String(person.id), label: `@${profile.login}'s profile`, href: `/people/${profile.login}` };
  }
  if (type === "interest") {
    const i = schema.callInterests;
    // The interest (with its call's package) beside the viewer: one round trip.
    const [interest, viewer] = await Promise.all([
      /^\d{1,9}$/.test(rawId)
        ? db()
            .select({ id: i.id, callId: i.callId, userId: i.userId, packageId: schema.calls.packageId })
            .from(i)
            .innerJoin(schema.calls, eq(schema.calls.id, i.callId))
            .where(eq(i.id, Number(rawId)))
            .get()
        : undefined,
      viewerPending,
    ]);
    if (!interest || interest.userId === viewer.id) return null;
    // An interest's message is shown to the people who manage its call (both asked side by side).
    const [call, manages] = await Promise.all([
      getVisibleCall(String(interest.callId), viewer),
      canManageCall(viewer, interest),
    ]);
    if (!call || !manages) return null;
    return {
      type,
      id: String(interest.id),
      label: `a message on the call “${call.title}”`,
      href: `/calls/${call.id}/manage#interest-${interest.id}`,
    };
  }
  if (type === "comment") {
    const e = schema.requestEvents;
    // The comment beside the viewer: one round trip.
    const [event, viewer] = await Promise.all([
      /^\d{1,9}$/.test(rawId)
        ? db()
            .select({ id: e.id, requestId: e.requestId, actor: e.actorUserId })
            .from(e)
            .where(and(eq(e.id, Number(rawId)), eq(e.type, "comment")))
            .get()
        : undefined,
      viewerPending,
    ]);
    if (!event || event.actor === viewer.id) return null;
    // Only a comment on a request the person may read, by the request's own rule.
    if (!(await findVisibleRequest(viewer, String(event.requestId)))) return null;
    return {
      type,
      id: String(event.id),
      label: `a comment on request #${event.requestId}`,
      href: `/requests/${event.requestId}#comment-${event.id}`,
    };
  }
  if (type === "message") {
    // Only a message in a conversation the person is in now, by the thread's own rule (the message
    // is asked beside the session).
    const message = await findReportableMessage(viewerPending, rawId);
    if (!message) return null;
    return {
      type,
      id: String(message.id),
      label: "a message in a conversation",
      href: `/threads/${message.threadId}#message-${message.id}`,
    };
  }
  const viewer = await viewerPending;
  switch (type) {
    case "call": {
      const call = await getVisibleCall(rawId, viewer);
      return call ? { type, id: String(call.id), label: `the call “${call.title}”`, href: `/calls/${call.id}` } : null;
    }
  }
}

const r = schema.moderationReports;

/** The person's own report of this object, if they filed one. */
export function getOwnReport(userId: number, target: Pick<ReportTarget, "type" | "id">) {
  return db()
    .select({ id: r.id, status: r.status, note: r.note, createdAt: r.createdAt, decidedAt: r.decidedAt })
    .from(r)
    .where(and(eq(r.reporterUserId, userId), eq(r.objectType, target.type), eq(r.objectId, target.id)))
    .get();
}

export type FileResult = { ok: true; id: number } | { ok: false; message: string };

/** Files a report; a second report of the same object by the same person is refused. */
export async function fileReport(
  reporter: Reporter,
  target: ReportTarget,
  reason: string,
  now = Date.now(),
): Promise<FileResult> {
  const [inserted] = await db().batch([
    db()
      .insert(r)
      .values({ reporterUserId: reporter.id, objectType: target.type, objectId: target.id, reason, createdAt: now })
      .onConflictDoNothing()
      .returning({ id: r.id }),
    // Audited only when the insert above filed it (the reason stays in the report, not the log).
    auditEntry({ actorUserId: reporter.id, action: "report.file", objectType: target.type, objectId: target.id }, now, {
      when: sql`changes() = 1`,
    }),
  ]);
  const id = inserted[0]?.id;
  if (!id) return { ok: false, message: "You already reported this. The working group will tell you the outcome." };
  log.info("report filed", { reportId: id, objectType: target.type });
  return { ok: true, id };
}

/** The queue: open reports, oldest first, with who reported and what it points at. */
export async function listOpenReports() {
  const u = schema.users;
  return db()
    .select({
      id: r.id,
      objectType: r.objectType,
      objectId: r.objectId,
      reason: r.reason,
      createdAt: r.createdAt,
      reporter: u.login,
    })
    .from(r)
    .innerJoin(u, eq(u.id, r.reporterUserId))
    .where(eq(r.status, "open"))
    .orderBy(asc(r.createdAt), asc(r.id))
    .all();
}

/** The latest decided reports, newest first. */
export function listDecidedReports(limit = 20) {
  const u = schema.users;
  return db()
    .select({
      id: r.id,
      objectType: r.objectType,
      objectId: r.objectId,
      status: r.status,
      note: r.note,
      decidedAt: r.decidedAt,
      by: u.login,
    })
    .from(r)
    .leftJoin(u, eq(u.id, r.decidedByUserId))
    .where(sql`${r.status} <> 'open'`)
    .orderBy(desc(r.decidedAt), desc(r.id))
    .limit(limit)
    .all();
}

/** Where an open report's object is, for the queue (a profile's id is shown as its login). */
export async function reportObjectHref(type: ReportableType, objectId: string): Promise<string | null> {
  if (type === "call") return `/calls/${objectId}`;
  if (type === "profile") {
    const u = schema.users;
    const row = await db()
      .select({ login: u.login })
      .from(u)
      .where(eq(u.id, Number(objectId)))
      .get();
    return row ? `/people/${row.login}` : null;
  }
  if (type === "comment") {
    const e = schema.requestEvents;
    const row = await db()
      .select({ requestId: e.requestId })
      .from(e)
      .where(eq(e.id, Number(objectId)))
      .get();
    return row ? `/requests/${row.requestId}#comment-${objectId}` : null;
  }
  if (type === "message") {
    const row = /^\d{1,12}$/.test(objectId) ? await threadOfMessage(Number(objectId)) : undefined;
    return row ? `/threads/${row.threadId}#message-${objectId}` : null;
  }
  const i = schema.callInterests;
  const row = await db()
    .select({ callId: i.callId })
    .from(i)
    .where(eq(i.id, Number(objectId)))
    .get();
  return row ? `/calls/${row.callId}/manage#interest-${objectId}` : null;
}

export type DecideResult = { ok: true } | { ok: false; message: string };

/**
 * Marks an open report handled or declined with a note, and emails the person who reported (one
 * email per report: the key names the report).
 */
export async function decideReport(
  admin: Reporter,
  input: { reportId: number; status: "handled" | "declined"; note: string },
  now = Date.now(),
): Promise<DecideResult> {
  const [updated] = await db().batch([
    db()
      .update(r)
      .set({ status: input.status, note: input.note, decidedByUserId: admin.id, decidedAt: now })
      .where(and(eq(r.id, input.reportId), eq(r.status, "open")))
      .returning({ id: r.id }),
    auditEntry(
      {
        actorUserId: admin.id,
        action: `report.${input.status}`,
        objectType: "moderation_report",
        objectId: input.reportId,
      },
      now,
      { when: sql`changes() = 1` },
    ),
  ]);
  if (!updated[0]) return { ok: false, message: "That report was already decided, or does not exist." };
  await tellReporter(input.reportId);
  return { ok: true };
}

async function tellReporter(reportId: number) {
  const u = schema.users;
  const row = await db()
    .select({
      email: deliveryAddress,
      userId: u.id,
      objectType: r.objectType,
      status: r.status,
      note: r.note,
      createdAt: r.createdAt,
    })
    .from(r)
    .innerJoin(u, eq(u.id, r.reporterUserId))
    .where(eq(r.id, reportId))
    .get();
  if (!row?.email || row.status === "open") return;
  const { subject, react } = moderationReportEmail({
    appUrl: env().appUrl,
    what: reportTypeLabels[row.objectType],
    reportedOn: formatDate(row.createdAt),
    outcome: row.status,
    note: row.note ?? "",
  });
  const result = await sendEmail({
    to: row.email,
    subject,
    react,
    template: "moderation-report",
    kind: "moderation-report",
    idempotencyKey: `moderation-report:${reportId}`,
    userId: row.userId,
  });
  if (!result.ok) log.warn("report outcome email failed", { reportId, error: result.error });
}

/** The reports a person filed, for their export: the note once the report is decided. */
export function listOwnReports(userId: number) {
  return db()
    .select({
      objectType: r.objectType,
      objectId: r.objectId,
      reason: r.reason,
      status: r.status,
      note: r.note,
      createdAt: r.createdAt,
      decidedAt: r.decidedAt,
    })
    .from(r)
    .where(eq(r.reporterUserId, userId))
    .orderBy(asc(r.createdAt))
    .all();
}
