// Calls for maintainers: posting, editing, lifecycle and expiry, finding (FTS5), and interests.
// Announcements to webhooks live in calls-announcements.server.ts.
import { and, asc, desc, eq, inArray, sql, type SQL } from "drizzle-orm";
import { db, schema } from "#app/utils/db.server.ts";
import { requireUser } from "#app/utils/auth.server.ts";
import { env } from "#app/utils/env.server.ts";
import { sendEmail } from "#app/utils/email.server.ts";
import { createSignedToken, verifySignedToken } from "#app/utils/signed-token.server.ts";
import { errorFields, log } from "#app/utils/log.server.ts";
import { auditEntry } from "#app/models/moderation/audit.server.ts";
import {
  canManagePackage,
  isVerifiedMaintainer,
  listMaintainerRecipients,
} from "#app/models/packages/packages.server.ts";
import { DEFAULT_EXPIRY_DAYS, isoDay, MAX_EXPIRY_DAYS, type CallFormValue } from "#app/models/calls/forms.ts";
import { callInterestEmail } from "#emails/calls-interest.tsx";
import { interestDecisionEmail } from "#emails/calls-interest-decision.tsx";
import { callExpiryEmail } from "#emails/calls-expiry.tsx";
import type { CallKind, CallStatus, CallUrgency, User } from "#db/schema.ts";

const DAY_MS = 24 * 60 * 60 * 1000;
export const CALLS_PAGE_SIZE = 20;
export const REMINDER_DAYS = 7;
export const RENEWAL_DAYS = 90;
const RENEW_PURPOSE = "call-renew";

type Actor = Pick<User, "id" | "isAdmin">;

/** Call ids in URLs: digits only, so "abc", "1.5" or 40 digits are a 404, never a 500. */
export function parseCallId(raw: string | undefined | null): number | null {
  if (!raw || !/^\d{1,12}$/.test(raw)) return null;
  const id = Number(raw);
  return id > 0 && Number.isSafeInteger(id) ? id : null;
}

function addDays(day: string, days: number): string {
  return isoDay(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS);
}

export function defaultExpiry(now = Date.now()): string {
  return isoDay(now + DEFAULT_EXPIRY_DAYS * DAY_MS);
}

const hiddenSql = (callId: SQL | number) =>
  sql`EXISTS (SELECT 1 FROM moderation_hides h WHERE h.object_type = 'call' AND h.object_id = CAST(${callId} AS TEXT))`;

// ---------------------------------------------------------------------------------------------
// Reading one call

export async function getCall(id: number) {
  const c = schema.calls;
  const p = schema.packages;
  const row = await db()
    .select({
      call: c,
      packageName: p.name,
      packageSlug: p.normalizedName,
      repository: p.repository,
      hidden: sql<number>`${hiddenSql(sql`${c.id}`)}`,
    })
    .from(c)
    .innerJoin(p, eq(p.id, c.packageId))
    .where(eq(c.id, id))
    .get();
  if (!row) return null;
  const skills = await db()
    .select({ skillId: schema.callSkills.skillId, name: schema.skills.name, level: schema.callSkills.level })
    .from(schema.callSkills)
    .innerJoin(schema.skills, eq(schema.skills.id, schema.callSkills.skillId))
    .where(eq(schema.callSkills.callId, id))
    .orderBy(asc(schema.skills.position))
    .all();
  return {
    ...row.call,
    djangoVersions: JSON.parse(row.call.djangoVersions) as string[],
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
  const user = await requireUser(request);
  const id = parseCallId(rawId);
  const call = id ? await getCall(id) : null;
  if (!call || !(await canManageCall(user, call))) throw new Response("Not found", { status: 404 });
  return { user, call };
}

/** The public page's call: hidden calls exist only for those who manage them. */
export async function getVisibleCall(rawId: string | undefined, viewer: Actor | null) {
  const id = parseCallId(rawId);
  const call = id ? await getCall(id) : null;
  if (!call) return null;
  if (call.hidden && !(await canManageCall(viewer, call))) return null;
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

function eventRow(
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

export const postCallRule = { name: "post-call", limit: 10, windowMs: 24 * 60 * 60 * 1000 };
export const interestRule = { name: "call-interest", limit: 20, windowMs: 24 * 60 * 60 * 1000 };

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
      INSERT INTO calls (package_id, kind, title, description, hours_per_week, django_versions, urgency, status,
        expires_on, posted_by_user_id, created_at, updated_at)
      SELECT ${packageId}, ${value.kind}, ${value.title}, ${value.description}, ${value.hoursPerWeek},
        ${JSON.stringify(value.djangoVersions)}, ${value.urgency}, 'open', ${value.expiresOn ?? defaultExpiry(now)},
        ${actor.id}, ${now}, ${now}
      WHERE NOT EXISTS (SELECT 1 FROM calls WHERE ${sameIntent})`),
    db().run(sql`
      INSERT INTO call_skills (call_id, skill_id, level)
      SELECT ${newId}, v.column1, v.column2 FROM (VALUES ${sql.join(skills, sql`, `)}) AS v
      WHERE v.column1 IN (SELECT id FROM skills) AND ${inserted}`),
    db().run(sql`
      INSERT INTO call_announcements (webhook_id, call_id, status, attempts, next_attempt_at, created_at)
      SELECT id, ${newId}, 'pending', 0, ${now}, ${now} FROM announcement_webhooks WHERE active = 1 AND ${inserted}`),
    db().run(sql`
      INSERT INTO audit_log (actor_user_id, action, object_type, object_id, detail, created_at)
      SELECT ${actor.id}, 'call.post', 'call', CAST(${newId} AS TEXT), ${JSON.stringify({ packageId })}, ${now}
      WHERE ${inserted}`),
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
        djangoVersions: JSON.stringify(value.djangoVersions),
        urgency: value.urgency,
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

// ---------------------------------------------------------------------------------------------
// Expiry, reminders and renewal

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
        idempotencyKey: `call-expiry:${call.id}:${call.expiresOn}:${m.id}`,
        userId: m.id,
      });
    }
    await db().batch([
      db().update(c).set({ expiryReminderSentAt: now }).where(eq(c.id, call.id)),
      eventRow(call.id, null, "reminder_sent", null, null, `expires ${call.expiresOn}`, now),
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

// ---------------------------------------------------------------------------------------------
// Finding calls

export type CallSort = "newest" | "urgent" | "relevance";
export type CallFilter = {
  q?: string | undefined;
  kind?: CallKind | undefined;
  skill?: string | undefined;
  django?: string | undefined;
  urgency?: CallUrgency | undefined;
  package?: string | undefined;
  sort?: CallSort | undefined;
  page?: number | undefined;
};

/** Turns what a person typed into an FTS5 query: each word quoted (no operators), prefix-matched. */
export function ftsQuery(q: string): string | null {
  const words = q
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0)
    .slice(0, 12);
  if (!words.length) return null;
  return words.map((w) => `"${w}"*`).join(" ");
}

const urgencyRank = sql`CASE c.urgency WHEN 'critical' THEN 4 WHEN 'high' THEN 3 WHEN 'normal' THEN 2 ELSE 1 END`;

export type CallSummary = {
  id: number;
  title: string;
  kind: CallKind;
  urgency: CallUrgency;
  status: CallStatus;
  hoursPerWeek: number;
  expiresOn: string;
  createdAt: number;
  updatedAt: number;
  packageName: string;
  packageSlug: string;
  description: string;
  djangoVersions: string[];
  skills: { skillId: string; name: string; level: string }[];
};

function listedWhere(filter: CallFilter, today: string) {
  const where: SQL[] = [
    sql`c.status = 'open'`,
    sql`c.expires_on >= ${today}`,
    sql`NOT ${hiddenSql(sql`c.id`)}`,
    // A suspended account's public content is hidden: the calls it posted too.
    sql`NOT EXISTS (SELECT 1 FROM account_suspensions s WHERE s.user_id = c.posted_by_user_id)`,
  ];
  if (filter.kind) where.push(sql`c.kind = ${filter.kind}`);
  if (filter.urgency) where.push(sql`c.urgency = ${filter.urgency}`);
  if (filter.package) where.push(sql`p.normalized_name = ${filter.package}`);
  if (filter.skill)
    where.push(sql`EXISTS (SELECT 1 FROM call_skills s WHERE s.call_id = c.id AND s.skill_id = ${filter.skill})`);
  if (filter.django)
    where.push(sql`EXISTS (SELECT 1 FROM json_each(c.django_versions) WHERE json_each.value = ${filter.django})`);
  return sql.join(where, sql` AND `);
}

async function attachSkills<T extends { id: number }>(rows: T[]) {
  if (!rows.length) return [] as (T & { skills: CallSummary["skills"] })[];
  const skills = await db()
    .select({
      callId: schema.callSkills.callId,
      skillId: schema.callSkills.skillId,
      name: schema.skills.name,
      level: schema.callSkills.level,
    })
    .from(schema.callSkills)
    .innerJoin(schema.skills, eq(schema.skills.id, schema.callSkills.skillId))
    .where(
      inArray(
        schema.callSkills.callId,
        rows.map((r) => r.id),
      ),
    )
    .orderBy(asc(schema.skills.position))
    .all();
  return rows.map((r) => ({
    ...r,
    skills: skills.filter((s) => s.callId === r.id).map(({ skillId, name, level }) => ({ skillId, name, level })),
  }));
}

type CallRow = Omit<CallSummary, "skills" | "djangoVersions"> & { djangoVersions: string };

const summaryColumns = sql`c.id AS id, c.title AS title, c.kind AS kind, c.urgency AS urgency, c.status AS status,
  c.hours_per_week AS hoursPerWeek, c.expires_on AS expiresOn, c.created_at AS createdAt, c.updated_at AS updatedAt,
  p.name AS packageName, p.normalized_name AS packageSlug, c.description AS description, c.django_versions AS djangoVersions`;

/** Open, public calls with filters, full-text search (bm25) and pages of 20. */
export async function listCalls(filter: CallFilter, now = Date.now()) {
  const today = isoDay(now);
  const match = filter.q ? ftsQuery(filter.q) : null;
  const sort: CallSort = filter.sort ?? (match ? "relevance" : "newest");
  const page = Math.max(1, filter.page ?? 1);
  const where = listedWhere(filter, today);
  // The search runs once, materialized with its bm25 rank, then joined: left to itself SQLite may
  // re-run the whole FTS query for every open call (24 s instead of 30 ms on 10,000 calls).
  // Weights: title first, then package name, then description.
  const searched = match
    ? sql`WITH f AS MATERIALIZED (SELECT rowid AS id, bm25(calls_fts, 10.0, 1.0, 5.0) AS rank FROM calls_fts WHERE calls_fts MATCH ${match}) `
    : sql``;
  const search = match ? sql`JOIN f ON f.id = c.id` : sql``;
  const order =
    sort === "relevance" && match
      ? sql`f.rank ASC, c.created_at DESC`
      : sort === "urgent"
        ? sql`${urgencyRank} DESC, c.expires_on ASC, c.created_at DESC`
        : sql`c.created_at DESC, c.id DESC`;
  const [rows, [total]] = await Promise.all([
    db().all<CallRow>(sql`${searched}
      SELECT ${summaryColumns}
      FROM calls c JOIN packages p ON p.id = c.package_id ${search}
      WHERE ${where}
      ORDER BY ${order}
      LIMIT ${CALLS_PAGE_SIZE} OFFSET ${(page - 1) * CALLS_PAGE_SIZE}`),
    db().all<{ n: number }>(
      sql`${searched}SELECT count(*) AS n FROM calls c JOIN packages p ON p.id = c.package_id ${search} WHERE ${where}`,
    ),
  ]);
  const calls = await attachSkills(
    rows.map((r) => ({ ...r, djangoVersions: JSON.parse(r.djangoVersions) as string[] })),
  );
  const n = total?.n ?? 0;
  return { calls, total: n, page, pageCount: Math.max(1, Math.ceil(n / CALLS_PAGE_SIZE)), sort };
}

/** The home page's most urgent open calls. */
export async function mostUrgentCalls(limit = 6, now = Date.now()) {
  const rows = await db().all<CallRow>(sql`
    SELECT ${summaryColumns} FROM calls c JOIN packages p ON p.id = c.package_id
    WHERE ${listedWhere({}, isoDay(now))}
    ORDER BY ${urgencyRank} DESC, c.expires_on ASC, c.created_at DESC LIMIT ${limit}`);
  return attachSkills(rows.map((r) => ({ ...r, djangoVersions: JSON.parse(r.djangoVersions) as string[] })));
}

/** For the digest ([digest]): every open, public call with its skills and levels. */
export async function listOpenPublicCallsWithSkills(now = Date.now()) {
  const rows = await db().all<CallRow & { packageId: number }>(sql`
    SELECT ${summaryColumns}, c.package_id AS packageId FROM calls c JOIN packages p ON p.id = c.package_id
    WHERE ${listedWhere({}, isoDay(now))}
    ORDER BY c.created_at DESC`);
  return attachSkills(rows.map((r) => ({ ...r, djangoVersions: JSON.parse(r.djangoVersions) as string[] })));
}

/** The feed: the 50 newest open calls. */
export async function newestCalls(limit = 50, now = Date.now()) {
  const rows = await db().all<CallRow>(sql`
    SELECT ${summaryColumns} FROM calls c JOIN packages p ON p.id = c.package_id
    WHERE ${listedWhere({}, isoDay(now))}
    ORDER BY c.created_at DESC, c.id DESC LIMIT ${limit}`);
  return attachSkills(rows.map((r) => ({ ...r, djangoVersions: JSON.parse(r.djangoVersions) as string[] })));
}

/** Open calls sharing the kind or a skill, most shared skills first. */
export async function similarCalls(call: Pick<CallDetail, "id" | "kind" | "skills">, limit = 4, now = Date.now()) {
  const skillIds = call.skills.map((s) => s.skillId);
  const shared = skillIds.length
    ? sql`(SELECT count(*) FROM call_skills s WHERE s.call_id = c.id AND s.skill_id IN (${sql.join(
        skillIds.map((s) => sql`${s}`),
        sql`, `,
      )}))`
    : sql`0`;
  const rows = await db().all<CallRow>(sql`
    SELECT ${summaryColumns} FROM calls c JOIN packages p ON p.id = c.package_id
    WHERE ${listedWhere({}, isoDay(now))} AND c.id <> ${call.id}
      AND (c.kind = ${call.kind} OR ${shared} > 0)
    ORDER BY ${shared} + (c.kind = ${call.kind}) DESC, c.created_at DESC LIMIT ${limit}`);
  return rows.map((r) => ({ ...r, djangoVersions: JSON.parse(r.djangoVersions) as string[] }));
}

export function listPackageCalls(packageId: number, now = Date.now()) {
  return db().all<CallRow>(sql`
    SELECT ${summaryColumns} FROM calls c JOIN packages p ON p.id = c.package_id
    WHERE c.package_id = ${packageId} AND c.status IN ('open', 'in_conversation') AND c.expires_on >= ${isoDay(now)}
      AND NOT ${hiddenSql(sql`c.id`)}
    ORDER BY c.created_at DESC LIMIT 50`);
}

/** Filter choices for /calls: skills and Django versions that exist. */
export async function callFilterChoices() {
  const [skills, releases] = await Promise.all([
    db()
      .select({ id: schema.skills.id, name: schema.skills.name, group: schema.skills.group })
      .from(schema.skills)
      .orderBy(asc(schema.skills.position))
      .all(),
    db()
      .select({ version: schema.djangoReleases.version })
      .from(schema.djangoReleases)
      .orderBy(desc(schema.djangoReleases.sortKey))
      .all(),
  ]);
  return { skills, djangoVersions: releases.map((r) => r.version) };
}

// ---------------------------------------------------------------------------------------------
// Interests

export type InterestProblem = "own_package" | "not_open" | "already";

export const interestProblemMessages: Record<InterestProblem, string> = {
  own_package: "You maintain this package, so you cannot answer its call.",
  not_open: "This call is no longer taking new interest.",
  already: "You have already expressed interest in this call.",
};

export function getMyInterest(callId: number, userId: number) {
  const i = schema.callInterests;
  return db()
    .select()
    .from(i)
    .where(and(eq(i.callId, callId), eq(i.userId, userId)))
    .get();
}

export async function expressInterest(
  user: Pick<User, "id" | "login" | "name" | "email">,
  call: CallDetail,
  input: { message: string; shareEmail: boolean },
  now = Date.now(),
): Promise<{ ok: true; interestId: number } | { ok: false; problem: InterestProblem }> {
  if (await isVerifiedMaintainer(user.id, call.packageId)) return { ok: false, problem: "own_package" };
  if (!(call.status === "open" || call.status === "in_conversation") || call.hidden)
    return { ok: false, problem: "not_open" };
  const i = schema.callInterests;
  const existing = await getMyInterest(call.id, user.id);
  if (existing && existing.status !== "withdrawn") return { ok: false, problem: "already" };
  const shareEmail = input.shareEmail && Boolean(user.email);
  let interestId: number;
  if (existing) {
    // Coming back after withdrawing: the same row, fresh again.
    await db()
      .update(i)
      .set({
        message: input.message,
        shareEmail,
        status: "pending",
        decisionMessage: null,
        decidedAt: null,
        decidedByUserId: null,
        updatedAt: now,
      })
      .where(and(eq(i.id, existing.id), eq(i.status, "withdrawn")));
    interestId = existing.id;
  } else {
    const [row] = await db()
      .insert(i)
      .values({ callId: call.id, userId: user.id, message: input.message, shareEmail, createdAt: now, updatedAt: now })
      .onConflictDoNothing()
      .returning({ id: i.id });
    if (!row) return { ok: false, problem: "already" };
    interestId = row.id;
  }
  void notifyMaintainersOfInterest(call, user, interestId, input.message, shareEmail, now).catch((error: unknown) =>
    log.error("interest email failed", { callId: call.id, interestId, ...errorFields(error) }),
  );
  return { ok: true, interestId };
}

async function notifyMaintainersOfInterest(
  call: CallDetail,
  volunteer: Pick<User, "id" | "login" | "name" | "email">,
  interestId: number,
  message: string,
  shareEmail: boolean,
  now: number,
) {
  const appUrl = env().appUrl;
  const recipients = await listMaintainerRecipients(call.packageId);
  const sharedEmail = shareEmail ? volunteer.email : null;
  for (const m of recipients) {
    if (!m.email) continue;
    const { subject, react } = callInterestEmail({
      appUrl,
      callId: call.id,
      callTitle: call.title,
      packageName: call.packageName,
      volunteerLogin: volunteer.login,
      volunteerName: volunteer.name,
      message,
      sharedEmail,
    });
    await sendEmail({
      to: m.email,
      subject,
      react,
      template: "calls-interest",
      // A re-expressed interest (after withdrawing) is new news: the time keeps the key unique.
      idempotencyKey: `call-interest:${interestId}:${now}:${m.id}`,
      userId: m.id,
      ...(sharedEmail ? { headers: { "Reply-To": sharedEmail } } : {}),
    });
  }
}

export async function withdrawInterest(userId: number, callId: number, now = Date.now()) {
  const i = schema.callInterests;
  const result = await db()
    .update(i)
    .set({ status: "withdrawn", updatedAt: now })
    .where(and(eq(i.callId, callId), eq(i.userId, userId), inArray(i.status, ["pending", "accepted"])))
    .returning({ id: i.id });
  return result.length > 0;
}

export function listInterests(callId: number) {
  const i = schema.callInterests;
  const u = schema.users;
  return (
    db()
      .select({
        id: i.id,
        userId: i.userId,
        login: u.login,
        name: u.name,
        // The address only when the volunteer chose to share it.
        email: sql<string | null>`CASE WHEN ${i.shareEmail} THEN ${u.email} ELSE NULL END`,
        message: i.message,
        status: i.status,
        decisionMessage: i.decisionMessage,
        createdAt: i.createdAt,
      })
      .from(i)
      .innerJoin(u, eq(u.id, i.userId))
      // Interests the working group hid (spam, abuse) are not shown to the maintainers.
      .where(
        and(
          eq(i.callId, callId),
          sql`NOT EXISTS (SELECT 1 FROM moderation_hides h WHERE h.object_type = 'interest' AND h.object_id = CAST(${i.id} AS TEXT))`,
          sql`NOT EXISTS (SELECT 1 FROM account_suspensions s WHERE s.user_id = ${i.userId})`,
        ),
      )
      .orderBy(asc(i.createdAt))
      .all()
  );
}

export async function decideInterest(
  actor: Actor,
  call: CallDetail,
  interestId: number,
  decision: "accepted" | "declined",
  message: string | null,
  now = Date.now(),
): Promise<boolean> {
  const i = schema.callInterests;
  const interest = await db()
    .select({ id: i.id, userId: i.userId, status: i.status })
    .from(i)
    .where(and(eq(i.id, interestId), eq(i.callId, call.id)))
    .get();
  if (!interest || interest.status !== "pending") return false;
  const moveToConversation = decision === "accepted" && call.status === "open";
  await db().batch([
    db()
      .update(i)
      .set({ status: decision, decisionMessage: message, decidedAt: now, decidedByUserId: actor.id, updatedAt: now })
      .where(and(eq(i.id, interest.id), eq(i.status, "pending"))),
    eventRow(
      call.id,
      actor.id,
      decision === "accepted" ? "interest_accepted" : "interest_declined",
      null,
      null,
      null,
      now,
    ),
    ...(moveToConversation
      ? [
          db()
            .update(schema.calls)
            .set({ status: "in_conversation", updatedAt: now })
            .where(eq(schema.calls.id, call.id)),
          eventRow(call.id, actor.id, "status_changed", "open", "in_conversation", null, now),
        ]
      : []),
  ]);
  const volunteer = await db().select().from(schema.users).where(eq(schema.users.id, interest.userId)).get();
  if (volunteer?.email) {
    const maintainers = (await listMaintainerRecipients(call.packageId)).map((m) => m.login);
    const { subject, react } = interestDecisionEmail({
      appUrl: env().appUrl,
      decision,
      callId: call.id,
      callTitle: call.title,
      packageName: call.packageName,
      volunteerLogin: volunteer.login,
      message,
      maintainers,
    });
    await sendEmail({
      to: volunteer.email,
      subject,
      react,
      template: `calls-interest-${decision}`,
      idempotencyKey: `call-interest-${decision}:${interest.id}:${now}`,
      userId: volunteer.id,
    }).catch((error: unknown) => log.error("decision email failed", { interestId, ...errorFields(error) }));
  }
  return true;
}

/** A person's own interests with their states, for /me/interests. */
export function listMyInterests(userId: number) {
  const i = schema.callInterests;
  const c = schema.calls;
  return db()
    .select({
      id: i.id,
      callId: c.id,
      callTitle: c.title,
      callStatus: c.status,
      packageName: schema.packages.name,
      status: i.status,
      decisionMessage: i.decisionMessage,
      createdAt: i.createdAt,
      updatedAt: i.updatedAt,
    })
    .from(i)
    .innerJoin(c, eq(c.id, i.callId))
    .innerJoin(schema.packages, eq(schema.packages.id, c.packageId))
    .where(eq(i.userId, userId))
    .orderBy(desc(i.updatedAt))
    .all();
}

/** Scheduled work of the calls area: expiry, reminders, announcements. */
export async function runCallsJobs(now = Date.now()) {
  await expireCalls(now);
  await sendExpiryReminders(now);
  const { deliverDueAnnouncements } = await import("#app/models/calls/announcements.server.ts");
  await deliverDueAnnouncements(now);
}

/** What the package page shows of the calls area: maintainers, open calls, and what this viewer may do. */
export async function packageCallsSection(
  pkg: { id: number },
  viewer: Pick<User, "id" | "login" | "isAdmin"> | null,
  now = Date.now(),
) {
  const {
    listMaintainers,
    canManagePackage: canManage,
    pendingMaintainership,
  } = await import("#app/models/packages/packages.server.ts");
  const [maintainers, calls, manage, pending] = await Promise.all([
    listMaintainers(pkg.id),
    listPackageCalls(pkg.id, now),
    canManage(viewer, pkg.id),
    viewer ? pendingMaintainership(viewer, pkg.id) : undefined,
  ]);
  return {
    maintainers: maintainers.map((m) => ({ login: m.login, name: m.name, verified: m.verified })),
    calls: calls.map((c) => ({ id: c.id, title: c.title, kind: c.kind, urgency: c.urgency, status: c.status })),
    canManage: manage,
    canConfirm: Boolean(pending),
  };
}
