// Calls for maintainers, one call at a time: reading it, who may manage it, posting, editing,
// outcomes and its history. Lists and search: listing.server.ts; interests: interests.server.ts;
// expiry and renewal: expiry.server.ts; announcements to webhooks: announcements.server.ts.
import { asc, eq, sql, type SQL } from "drizzle-orm";
import { db, prepared, schema } from "#app/utils/db.server.ts";
import { requireUser } from "#app/models/people/auth.server.ts";
import { log } from "#app/utils/log.server.ts";
import { DAY_MS, isoDay } from "#app/utils/dates.ts";
import { auditEntry } from "#app/models/moderation/audit.server.ts";
import { hiddenSql } from "#app/models/moderation/hides.server.ts";
import { canManagePackage } from "#app/models/packages/maintainers.server.ts";
import { DEFAULT_EXPIRY_DAYS, type CallFormValue } from "#app/models/calls/forms.ts";
import type { CallStatus, User } from "#db/schema.ts";

export type Actor = Pick<User, "id" | "isAdmin">;

/** Call ids in URLs: digits only, so "abc", "1.5" or 40 digits are a 404, never a 500. */
export function parseCallId(raw: string | undefined | null): number | null {
  if (!raw || !/^\d{1,12}$/.test(raw)) return null;
  const id = Number(raw);
  return id > 0 && Number.isSafeInteger(id) ? id : null;
}

export function defaultExpiry(now = Date.now()): string {
  return isoDay(now + DEFAULT_EXPIRY_DAYS * DAY_MS);
}

// ---------------------------------------------------------------------------------------------
// Reading one call

// The page's call and its skills, built once (db.server.ts `prepared`): the call page reads them on
// every request.
const callRow = prepared((d) =>
  d
    .select({
      call: schema.calls,
      packageName: schema.packages.name,
      packageSlug: schema.packages.normalizedName,
      repository: schema.packages.repository,
      hidden: sql<number>`${hiddenSql("call", schema.calls.id)}`,
    })
    .from(schema.calls)
    .innerJoin(schema.packages, eq(schema.packages.id, schema.calls.packageId))
    .where(eq(schema.calls.id, sql.placeholder("id")))
    .prepare(),
);
const callSkills = prepared((d) =>
  d
    .select({ skillId: schema.callSkills.skillId, name: schema.skills.name, level: schema.callSkills.level })
    .from(schema.callSkills)
    .innerJoin(schema.skills, eq(schema.skills.id, schema.callSkills.skillId))
    .where(eq(schema.callSkills.callId, sql.placeholder("id")))
    .orderBy(asc(schema.skills.position))
    .prepare(),
);

export async function getCall(id: number) {
  // The call and its skills side by side: one round trip (db.server.ts batches a request's reads).
  const [row, skills] = await Promise.all([callRow().get({ id }), callSkills().all({ id })]);
  if (!row) return null;
  return {
    ...row.call,
    packageName: row.packageName,
    packageSlug: row.packageSlug,
    repository: row.repository,
    hidden: Boolean(row.hidden),
    skills,
  };
}
export type CallDetail = NonNullable<Awaited<ReturnType<typeof getCall>>>;

export async function canManageCall(user: Actor | null, call: Pick<CallDetail, "packageId">) {
  return canManagePackage(user, call.packageId);
}

/**
 * For management pages and actions: the call, if this person is one of the package's verified
 * maintainers or a working-group admin. Everyone else (and unknown ids) gets 404.
 */
export async function requireCallEditor(request: Request, rawId: string | undefined) {
  const id = parseCallId(rawId);
  // The call beside the session (one round trip); shown to nobody before the check below.
  const [user, call] = await Promise.all([requireUser(request), id ? getCall(id) : null]);
  if (!call || !(await canManageCall(user, call))) throw new Response("Not found", { status: 404 });
  return { user, call };
}

/**
 * The public page's call: hidden calls exist only for those who manage them. The viewer may still be
 * on its way (a loader reading the session and the call side by side): it is awaited before anything
 * is answered, and asked about only when the call is hidden.
 */
export async function getVisibleCall(rawId: string | undefined, viewer: Actor | null | Promise<Actor | null>) {
  const id = parseCallId(rawId);
  const [call, actor] = await Promise.all([id ? getCall(id) : null, viewer]);
  if (!call) return null;
  if (call.hidden && !(await canManageCall(actor, call))) return null;
  return call;
}

// ---------------------------------------------------------------------------------------------
// Posting and editing

function skillRows(skills: CallFormValue["skills"], callId: SQL) {
  const values = skills.map((s) => sql`(${s.skillId}, ${s.level})`);
  return db().run(sql`
    INSERT INTO call_skills (call_id, skill_id, level)
    SELECT ${callId}, v.column1, v.column2 FROM (VALUES ${sql.join(values, sql`, `)}) AS v
    WHERE v.column1 IN (SELECT id FROM skills)`);
}

/** The write of one entry in a call's history, to run inside the batch of the change itself. */
export function eventRow(
  callId: SQL | number,
  actorUserId: number | null,
  kind: string,
  fromStatus: CallStatus | null,
  toStatus: CallStatus | null,
  note: string | null,
  now: number,
) {
  return db().run(sql`
    INSERT INTO call_events (call_id, actor_user_id, kind, from_status, to_status, note, created_at)
    VALUES (${callId}, ${actorUserId}, ${kind}, ${fromStatus}, ${toStatus}, ${note}, ${now})`);
}

export const postCallRule = { name: "post-call", limit: 10, windowMs: DAY_MS };

/** How long an identical post (same person, package and title) counts as the same intent. */
export const DUPLICATE_POST_WINDOW_MS = 10 * 60 * 1000;

/**
 * Posts a call; the caller has checked canManagePackage. Returns the call's id: the new one, or the
 * one this person already posted with the same package and title in the last ten minutes, so a
 * double click, a resubmitted form or concurrent identical posts make one call.
 */
export async function createCall(actor: Actor, packageId: number, value: CallFormValue, now = Date.now()) {
  const c = schema.calls;
  const sameIntent = sql`posted_by_user_id = ${actor.id} AND package_id = ${packageId} AND title = ${value.title}
    AND created_at > ${now - DUPLICATE_POST_WINDOW_MS}`;
  // The call's id exists only inside the batch: AUTOINCREMENT makes it the largest id there.
  const newId = sql`(SELECT max(id) FROM calls WHERE posted_by_user_id = ${actor.id} AND created_at = ${now})`;
  // True only in the batch that inserted the call: its "posted" event (the batch's last write) is not
  // there yet. When the insert was skipped as a duplicate, every other write is skipped with it.
  const inserted = sql`${newId} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM call_events WHERE call_id = ${newId})`;
  const skills = value.skills.map((s) => sql`(${s.skillId}, ${s.level})`);
  const results = await db().batch([
    db().run(sql`
      INSERT INTO calls (package_id, kind, title, description, hours_per_week, django_versions, urgency, mentoring,
        status, expires_on, posted_by_user_id, created_at, updated_at)
      SELECT ${packageId}, ${value.kind}, ${value.title}, ${value.description}, ${value.hoursPerWeek},
        ${JSON.stringify(value.djangoVersions)}, ${value.urgency}, ${value.mentoring ? 1 : 0}, 'open',
        ${value.expiresOn ?? defaultExpiry(now)},
        ${actor.id}, ${now}, ${now}
      WHERE NOT EXISTS (SELECT 1 FROM calls WHERE ${sameIntent})`),
    db().run(sql`
      INSERT INTO call_skills (call_id, skill_id, level)
      SELECT ${newId}, v.column1, v.column2 FROM (VALUES ${sql.join(skills, sql`, `)}) AS v
      WHERE v.column1 IN (SELECT id FROM skills) AND ${inserted}`),
    db().run(sql`
      INSERT INTO call_announcements (webhook_id, call_id, status, attempts, next_attempt_at, created_at)
      SELECT id, ${newId}, 'pending', 0, ${now}, ${now} FROM announcement_webhooks WHERE active = 1 AND ${inserted}`),
    auditEntry(
      { actorUserId: actor.id, action: "call.post", objectType: "call", objectId: newId, detail: { packageId } },
      now,
      { when: inserted },
    ),
    db().run(sql`
      INSERT INTO call_events (call_id, actor_user_id, kind, from_status, to_status, note, created_at)
      SELECT ${newId}, ${actor.id}, 'posted', NULL, 'open', NULL, ${now} WHERE ${inserted}`),
    // The first call of this intent: the one just inserted, or the one posted before.
    db().select({ id: c.id }).from(c).where(sameIntent).orderBy(asc(c.id)).limit(1),
  ]);
  const id = (results[5] as { id: number }[])[0]!.id;
  log.info("call posted", { callId: id, packageId, userId: actor.id });
  return id;
}

export async function updateCall(actor: Actor, call: CallDetail, value: CallFormValue, now = Date.now()) {
  const c = schema.calls;
  const expiresOn = value.expiresOn ?? call.expiresOn;
  // Moving the expiry date into the future brings an expired call back.
  const reopen = call.status === "expired" && expiresOn >= isoDay(now);
  await db().batch([
    db()
      .update(c)
      .set({
        kind: value.kind,
        title: value.title,
        description: value.description,
        hoursPerWeek: value.hoursPerWeek,
        djangoVersions: value.djangoVersions,
        urgency: value.urgency,
        mentoring: value.mentoring ?? false,
        expiresOn,
        ...(expiresOn !== call.expiresOn ? { expiryReminderSentAt: null } : {}),
        ...(reopen ? { status: "open" as const } : {}),
        updatedAt: now,
      })
      .where(eq(c.id, call.id)),
    db().delete(schema.callSkills).where(eq(schema.callSkills.callId, call.id)),
    skillRows(value.skills, sql`${call.id}`),
    eventRow(call.id, actor.id, "edited", null, null, null, now),
    ...(reopen ? [eventRow(call.id, actor.id, "status_changed", "expired", "open", "expiry date moved", now)] : []),
    auditEntry({ actorUserId: actor.id, action: "call.edit", objectType: "call", objectId: call.id }, now),
  ]);
}

export type OutcomeInput = { outcome: "filled" | "closed"; note: string; filledByLogin?: string | undefined };

/** Marks a call filled (who took it over) or closed (why), with the outcome note. */
export async function recordOutcome(actor: Actor, call: CallDetail, input: OutcomeInput, now = Date.now()) {
  if (call.status === "filled" || call.status === "closed")
    return { ok: false as const, message: "This call is already finished." };
  const login = input.filledByLogin?.replace(/^@/, "");
  const filledBy = login
    ? await db()
        .select({ id: schema.users.id })
        .from(schema.users)
        .where(sql`lower(${schema.users.login}) = lower(${login})`)
        .get()
    : undefined;
  const note = login && input.outcome === "filled" ? `Taken over by @${login}. ${input.note}` : input.note;
  const c = schema.calls;
  await db().batch([
    db()
      .update(c)
      .set({
        status: input.outcome,
        outcomeNote: note,
        updatedAt: now,
        ...(input.outcome === "filled"
          ? { filledAt: now, filledByUserId: filledBy?.id ?? null, timeToFillMs: now - call.createdAt }
          : { closedAt: now }),
      })
      .where(eq(c.id, call.id)),
    eventRow(call.id, actor.id, "status_changed", call.status, input.outcome, note, now),
    auditEntry({ actorUserId: actor.id, action: `call.${input.outcome}`, objectType: "call", objectId: call.id }, now),
  ]);
  return { ok: true as const };
}

export function listCallEvents(callId: number) {
  const e = schema.callEvents;
  return db()
    .select({
      id: e.id,
      kind: e.kind,
      fromStatus: e.fromStatus,
      toStatus: e.toStatus,
      note: e.note,
      createdAt: e.createdAt,
      actorLogin: schema.users.login,
    })
    .from(e)
    .leftJoin(schema.users, eq(schema.users.id, e.actorUserId))
    .where(eq(e.callId, callId))
    .orderBy(asc(e.createdAt), asc(e.id))
    .all();
}
