// The working group's meetings: who may schedule and change them (the working group, as decided in
// powers.server.ts), who may read which notes, the writes, and the meetings as calendar events.
import { randomUUID } from "node:crypto";
import { and, asc, desc, eq, gt, gte, lte, sql } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import { db, schema } from "#app/utils/db.server.ts";
import { auditEntry } from "#app/models/moderation/audit.server.ts";
import { hasRole } from "#app/models/people/powers.server.ts";
import { renderMarkdown } from "#app/utils/markdown.server.ts";
import { wallTimeToUtc } from "#app/utils/time.ts";
import { DAY_MS, HOUR_MS, MINUTE_MS } from "#app/utils/dates.ts";
import type { Meeting } from "#db/schema/meetings.ts";
import type { MeetingFormValue, NotesFormValue } from "#app/models/meetings/forms.ts";

export type { Meeting };

const m = schema.meetings;

/** Working-group members (admins are members) schedule, change and cancel meetings and read internal notes. */
export async function canManageMeetings(user: { id: number; isAdmin: boolean } | null, now = Date.now()) {
  if (!user) return false;
  return user.isAdmin || (await hasRole(user.id, "working_group", now));
}

export const meetingEndsAt = (meeting: Pick<Meeting, "startsAt" | "durationMinutes">) =>
  meeting.startsAt + meeting.durationMinutes * MINUTE_MS;

/** The instant a form's day, time and zone mean (gaps and repeats as app/utils/time.ts says). */
export function meetingStartOf(value: Pick<MeetingFormValue, "day" | "time" | "timeZone">): number {
  const [h, min] = value.time.split(":").map(Number) as [number, number];
  return wallTimeToUtc(value.day, h * HOUR_MS + min * MINUTE_MS, value.timeZone);
}

export function getMeeting(id: number) {
  return db().select().from(m).where(eq(m.id, id)).get();
}

/**
 * A meeting as this viewer may see it: internal notes are kept from everyone outside the working
 * group (the one place that decides it; pages, feeds and exports all go through here).
 */
export function meetingForViewer(meeting: Meeting, canSeeInternal: boolean) {
  const notesHidden = meeting.notesInternal && !canSeeInternal;
  const { notes, cancelReason, ...rest } = meeting;
  return {
    ...rest,
    notes: notesHidden ? null : notes,
    notesHidden: notesHidden && Boolean(notes),
    cancelReason,
    endsAt: meetingEndsAt(meeting),
  };
}
export type ViewedMeeting = ReturnType<typeof meetingForViewer>;

/** Upcoming meetings (not yet over) soonest first, and past ones newest first. */
export async function listMeetings(canSeeInternal: boolean, now = Date.now()) {
  const ends = sql<number>`${m.startsAt} + ${m.durationMinutes} * ${MINUTE_MS}`;
  const [upcoming, past] = await Promise.all([
    db().select().from(m).where(gt(ends, now)).orderBy(asc(m.startsAt), asc(m.id)).all(),
    db().select().from(m).where(lte(ends, now)).orderBy(desc(m.startsAt), desc(m.id)).limit(200).all(),
  ]);
  const view = (meeting: Meeting) => meetingForViewer(meeting, canSeeInternal);
  return { upcoming: upcoming.map(view), past: past.map(view) };
}

/** The next meeting that will take place (not cancelled, not over), for the calendar and the home page. */
export function nextMeeting(now = Date.now()) {
  return db()
    .select()
    .from(m)
    .where(and(eq(m.status, "scheduled"), gt(sql`${m.startsAt} + ${m.durationMinutes} * ${MINUTE_MS}`, now)))
    .orderBy(asc(m.startsAt))
    .get();
}

// ---- writes ------------------------------------------------------------------------------------

function scheduleFields(value: MeetingFormValue) {
  return {
    title: value.title,
    startsAt: meetingStartOf(value),
    durationMinutes: value.durationMinutes,
    enteredTimeZone: value.timeZone,
    videoUrl: value.videoUrl || null,
    agenda: value.agenda ?? "",
  };
}

/** How long an identical schedule (same person, title and start) counts as the same intent. */
const SAME_INTENT_MS = 10 * MINUTE_MS;

/**
 * Schedules a meeting and returns its id. One record per intent: a double click or a resubmitted form
 * (the same person, title and start within ten minutes) lands on the meeting already made.
 */
export async function createMeeting(value: MeetingFormValue, actorUserId: number, now = Date.now()) {
  const fields = scheduleFields(value);
  const uid = `meeting-${randomUUID()}@roadies`;
  const sameIntent = sql`${m.createdByUserId} = ${actorUserId} AND ${m.title} = ${fields.title}
    AND ${m.startsAt} = ${fields.startsAt} AND ${m.createdAt} > ${now - SAME_INTENT_MS}`;
  const row: [SQLiteColumn, unknown][] = [
    [m.uid, uid],
    [m.title, fields.title],
    [m.startsAt, fields.startsAt],
    [m.durationMinutes, fields.durationMinutes],
    [m.enteredTimeZone, fields.enteredTimeZone],
    [m.videoUrl, fields.videoUrl],
    [m.agenda, fields.agenda],
    [m.sequence, 0],
    [m.revisedAt, now],
    [m.createdByUserId, actorUserId],
    [m.updatedByUserId, actorUserId],
    [m.createdAt, now],
    [m.updatedAt, now],
  ];
  const results = await db().batch([
    db().run(
      sql`INSERT INTO ${m} (${sql.join(
        row.map(([column]) => sql.identifier(column.name)),
        sql`, `,
      )}) SELECT ${sql.join(
        row.map(([, v]) => sql`${v}`),
        sql`, `,
      )} WHERE NOT EXISTS (SELECT 1 FROM ${m} WHERE ${sameIntent})`,
    ),
    auditEntry(
      {
        actorUserId,
        action: "meeting.create",
        objectType: "meeting",
        objectId: sql`(SELECT ${m.id} FROM ${m} WHERE ${m.uid} = ${uid})`,
        detail: { startsAt: fields.startsAt },
      },
      now,
      { when: sql`EXISTS (SELECT 1 FROM ${m} WHERE ${m.uid} = ${uid})` },
    ),
    // The first meeting of this intent: the one just inserted, or the one scheduled before.
    db().select({ id: m.id }).from(m).where(sameIntent).orderBy(asc(m.id)).limit(1),
  ]);
  return results[2][0]!.id;
}

export type WriteResult = { ok: true; changed: boolean } | { ok: false; conflict: true };

/**
 * One guarded write: applied only if the meeting is still at the version the person's form was
 * loaded with (`version`, its updatedAt), with its audit entry in the same batch.
 */
async function guardedUpdate(
  meeting: Meeting,
  version: number | undefined,
  set: Partial<typeof m.$inferInsert>,
  audit: { actorUserId: number; action: string; detail?: Record<string, string | number | boolean | null> },
  now: number,
): Promise<WriteResult> {
  const expected = version ?? meeting.updatedAt;
  if (expected !== meeting.updatedAt) return { ok: false, conflict: true };
  // Two saves in the same millisecond would look unchanged to the guard: keep updatedAt moving.
  const stamp = Math.max(now, meeting.updatedAt + 1);
  const [rows] = await db().batch([
    db()
      .update(m)
      .set({ ...set, updatedByUserId: audit.actorUserId, updatedAt: stamp })
      .where(and(eq(m.id, meeting.id), eq(m.updatedAt, expected)))
      .returning({ id: m.id }),
    auditEntry({ ...audit, objectType: "meeting", objectId: meeting.id }, now, {
      when: sql`EXISTS (SELECT 1 FROM ${m} WHERE ${m.id} = ${meeting.id} AND ${m.updatedAt} = ${stamp})`,
    }),
  ]);
  return rows.length ? { ok: true, changed: true } : { ok: false, conflict: true };
}

/**
 * A calendar-visible change: SEQUENCE goes up and LAST-MODIFIED moves, so subscribed calendars update.
 * iCalendar times have whole seconds: two changes within one second still get distinct stamps.
 */
const revision = (meeting: Meeting, now: number) => ({
  sequence: meeting.sequence + 1,
  revisedAt: Math.max(now, meeting.revisedAt + 1000),
});

export async function updateMeeting(
  meeting: Meeting,
  value: MeetingFormValue,
  actorUserId: number,
  now = Date.now(),
): Promise<WriteResult> {
  const fields = scheduleFields(value);
  const calendarChanged =
    fields.title !== meeting.title ||
    fields.startsAt !== meeting.startsAt ||
    fields.durationMinutes !== meeting.durationMinutes ||
    fields.videoUrl !== meeting.videoUrl ||
    fields.agenda !== meeting.agenda;
  if (!calendarChanged && fields.enteredTimeZone === meeting.enteredTimeZone) {
    return (value.version ?? meeting.updatedAt) === meeting.updatedAt
      ? { ok: true, changed: false }
      : { ok: false, conflict: true };
  }
  const moved = fields.startsAt !== meeting.startsAt || fields.durationMinutes !== meeting.durationMinutes;
  return guardedUpdate(
    meeting,
    value.version,
    { ...fields, ...(calendarChanged ? revision(meeting, now) : {}) },
    { actorUserId, action: moved ? "meeting.move" : "meeting.update", detail: { startsAt: fields.startsAt } },
    now,
  );
}

export async function saveNotes(meeting: Meeting, value: NotesFormValue, actorUserId: number, now = Date.now()) {
  const notes = value.notes ? value.notes : null;
  if (notes === meeting.notes && value.notesInternal === meeting.notesInternal) {
    return { ok: true, changed: false } as const;
  }
  return guardedUpdate(
    meeting,
    value.version,
    { notes, notesInternal: value.notesInternal },
    { actorUserId, action: "meeting.notes", detail: { internal: value.notesInternal } },
    now,
  );
}

export function cancelMeeting(
  meeting: Meeting,
  reason: string | undefined,
  actorUserId: number,
  version?: number,
  now = Date.now(),
): Promise<WriteResult> {
  if (meeting.status === "cancelled") return Promise.resolve({ ok: false, conflict: true });
  return guardedUpdate(
    meeting,
    version,
    { status: "cancelled", cancelReason: reason || null, ...revision(meeting, now) },
    { actorUserId, action: "meeting.cancel" },
    now,
  );
}

export function reinstateMeeting(
  meeting: Meeting,
  actorUserId: number,
  version?: number,
  now = Date.now(),
): Promise<WriteResult> {
  if (meeting.status !== "cancelled") return Promise.resolve({ ok: false, conflict: true });
  return guardedUpdate(
    meeting,
    version,
    { status: "scheduled", cancelReason: null, ...revision(meeting, now) },
    { actorUserId, action: "meeting.reinstate" },
    now,
  );
}

// ---- the calendar ------------------------------------------------------------------------------

/**
 * The agenda as plain text for a calendar app: the Markdown rendered by the site's safe rules, then
 * reduced to lines (paragraphs, list items as "- …", headings), never raw HTML.
 */
export function agendaText(markdown: string): string {
  return (
    renderMarkdown(markdown)
      // The renderer's own line breaks between block tags are layout, not text.
      .replace(/(<\/?(ul|ol|li|p|h[1-6]|blockquote|hr)\s*\/?>)\n/g, "$1")
      .replace(/<li>/g, "- ")
      .replace(/<\/(p|ul|ol)>/g, "\n\n")
      .replace(/<\/(li|h[1-6]|pre|blockquote)>|<br\s*\/?>/g, "\n")
      .replace(/<[^>]+>/g, "")
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&amp;/g, "&")
      .replace(/[ \t]+\n/g, "\n")
      .replace(/\n{3,}/g, "\n\n")
      .trim()
  );
}

/** A meeting as the calendar and its feed show it: a timed event in UTC, never with its notes. */
export type MeetingCalendarEvent = {
  uid: string;
  /** The UTC day it starts on. */
  date: string;
  source: "meetings";
  title: string;
  description: string;
  url: string;
  confirmed: boolean;
  kind: "meeting";
  startsAt: number;
  endsAt: number;
  sequence: number;
  revisedAt: number;
  cancelled: boolean;
  location: string | null;
};

/** How far back the calendar keeps meetings, so subscribers' calendars keep recent ones. */
export const MEETINGS_KEPT_MS = 400 * DAY_MS;

export async function meetingCalendarEvents(now = Date.now()): Promise<MeetingCalendarEvent[]> {
  // Meetings are their own area's table; the calendar shows them once it exists.
  const exists = await db().get<{ n: number }>(
    sql`SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'meetings'`,
  );
  if (!exists?.n) return [];
  const rows = await db()
    .select({
      id: m.id,
      uid: m.uid,
      title: m.title,
      startsAt: m.startsAt,
      durationMinutes: m.durationMinutes,
      videoUrl: m.videoUrl,
      agenda: m.agenda,
      status: m.status,
      cancelReason: m.cancelReason,
      sequence: m.sequence,
      revisedAt: m.revisedAt,
    })
    .from(m)
    .where(gte(m.startsAt, now - MEETINGS_KEPT_MS))
    .orderBy(asc(m.startsAt))
    .all();
  return rows.map((r) => {
    const cancelled = r.status === "cancelled";
    const parts = [
      cancelled ? `Cancelled.${r.cancelReason ? ` ${r.cancelReason}` : ""}` : "",
      r.agenda.trim() ? `Agenda:\n${agendaText(r.agenda)}` : "",
      r.videoUrl && !cancelled ? `Join the call: ${r.videoUrl}` : "",
    ];
    return {
      uid: r.uid,
      date: new Date(r.startsAt).toISOString().slice(0, 10),
      source: "meetings" as const,
      title: `${cancelled ? "Cancelled: " : ""}${r.title}`,
      description: parts.filter(Boolean).join("\n\n"),
      url: `/meetings/${r.id}`,
      confirmed: !cancelled,
      kind: "meeting" as const,
      startsAt: r.startsAt,
      endsAt: meetingEndsAt(r),
      sequence: r.sequence,
      revisedAt: r.revisedAt,
      cancelled,
      location: r.videoUrl,
    };
  });
}
