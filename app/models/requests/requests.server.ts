// Special requests and the expert pools that answer them: filing, routing to one expert with an
// acknowledgement deadline, reassignment when the deadline passes, the timeline, and who may see
// what. Confidential requests (every security request, and any request marked so) are visible only
// to the package's verified maintainers, the request's current and past assignees and the
// working-group admins; to everyone else they do not exist. Logs carry ids only.
import { and, asc, count, desc, eq, gt, inArray, isNotNull, isNull, lte, ne, notInArray, or, sql } from "drizzle-orm";
import { db, schema } from "#app/utils/db.server.ts";
import { env } from "#app/utils/env.server.ts";
import { sendBatch, type OutgoingEmail } from "#app/utils/email.server.ts";
import { log } from "#app/utils/log.server.ts";
import { localHoursInUtc, sharedHours } from "#app/utils/time.ts";
import { auditEntry, recordAudit } from "#app/models/moderation/audit.server.ts";
import { isActiveRoadie, isWorkingGroupMember, listWorkingGroupAdmins } from "#app/models/people/roadies.server.ts";
import { poolSeatActiveSql } from "#app/models/people/powers.server.ts";
import { requestNotice } from "#emails/requests-notice.tsx";
import type { SpecialRequest, User } from "#db/schema.ts";
import {
  deadlineKeys,
  defaultDeadlineDays,
  kindLabels,
  requestActions,
  requestKinds,
  type DeadlineKey,
  type FileRequestInput,
  type PoolApplicationInput,
  type RequestAction,
  type RequestKind,
  type RequestState,
} from "#app/models/requests/forms.ts";

export type { SpecialRequest };

const r = schema.specialRequests;
const a = schema.requestAssignments;
const ev = schema.requestEvents;
const pm = schema.expertPoolMembers;
const u = schema.users;
const maint = schema.packageMaintainers;

export const DAY_MS = 24 * 60 * 60 * 1000;

const OPEN_STATES: RequestState[] = ["new", "acknowledged", "in_progress"];

// ---------------------------------------------------------------------------------------------
// Acknowledgement deadlines (Django Commons' security precedent; admins can change them)

export async function getDeadlineDays(): Promise<Record<DeadlineKey, number>> {
  const rows = await db().select().from(schema.requestDeadlineSettings).all();
  const days = { ...defaultDeadlineDays };
  for (const row of rows) if (row.key in days) days[row.key as DeadlineKey] = row.days;
  return days;
}

export async function saveDeadlineDays(input: Record<DeadlineKey, number>, actorUserId: number, now = Date.now()) {
  const t = schema.requestDeadlineSettings;
  await db().batch([
    auditEntry(
      {
        actorUserId,
        action: "requests.deadlines",
        objectType: "request_settings",
        objectId: "deadlines",
        detail: input,
      },
      now,
    ),
    ...deadlineKeys.map((key) =>
      db()
        .insert(t)
        .values({ key, days: input[key], updatedAt: now })
        .onConflictDoUpdate({ target: t.key, set: { days: input[key], updatedAt: now } }),
    ),
  ]);
}

export function deadlineKeyOf(request: Pick<SpecialRequest, "kind" | "severity">): DeadlineKey {
  return request.kind === "security" ? (request.severity ?? "none") : "other";
}

// ---------------------------------------------------------------------------------------------
// Expert pools

/**
 * Whether a person joins a pool without an admin's approval. The security pool always needs one;
 * the others take roadies and working-group members directly. The one place that asks [people].
 */
export async function admitsDirectly(userId: number, kind: RequestKind, now = Date.now()): Promise<boolean> {
  if (kind === "security") return false;
  return (await isActiveRoadie(userId, now)) || (await isWorkingGroupMember(userId, now));
}

export type PoolApplyResult = { ok: true; status: "active" | "pending" } | { ok: false; problem: string };

export async function applyToPool(
  userId: number,
  input: PoolApplicationInput,
  now = Date.now(),
): Promise<PoolApplyResult> {
  const existing = await db()
    .select()
    .from(pm)
    .where(and(eq(pm.kind, input.kind), eq(pm.userId, userId)))
    .get();
  const direct = await admitsDirectly(userId, input.kind, now);
  // A seat that ended with its role (taken as a roadie who no longer is one) can be applied for again.
  const seatEnded = existing?.status === "active" && existing.viaTrustRole && !direct;
  if (existing && existing.status !== "rejected" && !seatEnded) {
    return {
      ok: false,
      problem:
        existing.status === "active" ? "You are already in this pool." : "Your application is waiting for an admin.",
    };
  }
  const status = direct ? ("active" as const) : ("pending" as const);
  const values = {
    kind: input.kind,
    userId,
    status,
    evidence: input.evidence,
    paused: false,
    appliedAt: now,
    decidedAt: direct ? now : null,
    decidedByUserId: null,
    // A seat taken as a roadie or working-group member lasts only while the person still is one.
    viaTrustRole: direct,
  };
  await db().batch([
    db()
      .insert(pm)
      .values(values)
      .onConflictDoUpdate({ target: [pm.kind, pm.userId], set: values }),
    auditEntry(
      {
        actorUserId: userId,
        action: "pool.apply",
        objectType: "expert_pool",
        objectId: input.kind,
        detail: { status },
      },
      now,
    ),
  ]);
  if (status === "active") await assignWaitingRequests(now);
  return { ok: true, status };
}

/** Admits or declines a pending application; null when there is no such pending application. */
export async function decidePoolApplication(memberId: number, approve: boolean, actorUserId: number, now = Date.now()) {
  const updated = await db()
    .update(pm)
    .set({ status: approve ? "active" : "rejected", decidedAt: now, decidedByUserId: actorUserId, viaTrustRole: false })
    .where(and(eq(pm.id, memberId), eq(pm.status, "pending")))
    .returning({ id: pm.id, kind: pm.kind, userId: pm.userId });
  const row = updated[0];
  if (!row) return null;
  await recordAudit(
    {
      actorUserId,
      action: approve ? "pool.approve" : "pool.reject",
      objectType: "expert_pool_member",
      objectId: row.id,
      detail: { kind: row.kind, userId: row.userId },
    },
    now,
  );
  if (approve) await assignWaitingRequests(now);
  return { kind: row.kind };
}

export async function setPoolPaused(userId: number, kind: RequestKind, paused: boolean, now = Date.now()) {
  const updated = await db()
    .update(pm)
    .set({ paused })
    .where(and(eq(pm.userId, userId), eq(pm.kind, kind)))
    .returning({ id: pm.id });
  if (updated.length && !paused) await assignWaitingRequests(now);
  return updated.length > 0;
}

export function listMyPools(userId: number) {
  return db().select().from(pm).where(eq(pm.userId, userId)).orderBy(asc(pm.kind)).all();
}

/** Active members per pool with their open assignments (for the pools page). */
export async function listPools() {
  const rows = await db()
    .select({
      id: pm.id,
      kind: pm.kind,
      userId: pm.userId,
      login: u.login,
      name: u.name,
      paused: pm.paused,
      open: sql<number>`(SELECT count(*) FROM ${r} WHERE ${r.assigneeUserId} = ${pm.userId} AND ${r.state} IN ('new','acknowledged','in_progress'))`,
    })
    .from(pm)
    .innerJoin(u, eq(u.id, pm.userId))
    .where(poolSeatActiveSql(Date.now()))
    .orderBy(asc(pm.kind), asc(sql`lower(${u.login})`))
    .all();
  return requestKinds.map((kind) => ({ kind, members: rows.filter((m) => m.kind === kind) }));
}

export function listPendingApplications() {
  return db()
    .select({ id: pm.id, kind: pm.kind, login: u.login, name: u.name, evidence: pm.evidence, appliedAt: pm.appliedAt })
    .from(pm)
    .innerJoin(u, eq(u.id, pm.userId))
    .where(eq(pm.status, "pending"))
    .orderBy(asc(pm.appliedAt))
    .all();
}

// ---------------------------------------------------------------------------------------------
// Routing

/** Hours of the 09:00-17:00 working day that two time zones share on the day of `now` (0 when either is unknown). */
export function overlapHours(a: string | null, b: string | null, now: number): number {
  const day = { slotMinutes: 30, days: 1 } as const;
  const x = localHoursInUtc(a, 9, 17, now, day);
  const y = localHoursInUtc(b, 9, 17, now, day);
  return x && y ? sharedHours(x, y, day.slotMinutes) : 0;
}

/** Two shared working hours are enough to talk on the same day. */
const OVERLAP_HOURS_WANTED = 2;

type Candidate = {
  userId: number;
  timezone: string | null;
  open: number;
  lastAssignedAt: number | null;
  memberId: number;
};

/**
 * The pool member who should get this request next: fewest open assignments; among those, people
 * whose working day overlaps a maintainer's; then round-robin (the least recently assigned).
 * Never a maintainer of the package (verified or invited), never a suspended account, never
 * someone paused, and not anyone in `exclude` (past assignees when reassigning).
 */
export async function chooseAssignee(
  request: Pick<SpecialRequest, "kind" | "packageId" | "filedByUserId">,
  exclude: number[],
  now = Date.now(),
): Promise<Candidate | null> {
  const candidates: Candidate[] = await db()
    .select({
      userId: pm.userId,
      memberId: pm.id,
      timezone: u.timezone,
      lastAssignedAt: pm.lastAssignedAt,
      open: sql<number>`(SELECT count(*) FROM ${r} WHERE ${r.assigneeUserId} = ${pm.userId} AND ${r.state} IN ('new','acknowledged','in_progress'))`,
    })
    .from(pm)
    .innerJoin(u, eq(u.id, pm.userId))
    .where(
      and(
        eq(pm.kind, request.kind),
        poolSeatActiveSql(now),
        eq(pm.paused, false),
        sql`NOT EXISTS (SELECT 1 FROM ${maint} WHERE ${maint.packageId} = ${request.packageId} AND ${maint.userId} = ${pm.userId})`,
        request.filedByUserId ? ne(pm.userId, request.filedByUserId) : undefined,
        exclude.length ? notInArray(pm.userId, exclude) : undefined,
      ),
    )
    .all();
  if (candidates.length === 0) return null;
  const maintainerZones = (
    await db()
      .select({ timezone: u.timezone })
      .from(maint)
      .innerJoin(u, eq(u.id, maint.userId))
      .where(and(eq(maint.packageId, request.packageId), isNotNull(maint.verifiedAt)))
      .all()
  ).map((m) => m.timezone);
  // Computed once per candidate, not in every comparison of the sort.
  const overlapping = new Map(
    candidates.map((c) => [
      c,
      maintainerZones.some((z) => overlapHours(c.timezone, z, now) >= OVERLAP_HOURS_WANTED) ? 1 : 0,
    ]),
  );
  const overlaps = (c: Candidate) => overlapping.get(c)!;
  candidates.sort(
    (x, y) =>
      Number(x.open) - Number(y.open) ||
      overlaps(y) - overlaps(x) ||
      (x.lastAssignedAt ?? -1) - (y.lastAssignedAt ?? -1) ||
      x.memberId - y.memberId,
  );
  return candidates[0]!;
}

function ackDueFrom(
  request: Pick<SpecialRequest, "kind" | "severity">,
  days: Record<DeadlineKey, number>,
  now: number,
) {
  return now + days[deadlineKeyOf(request)] * DAY_MS;
}

async function pastAssignees(requestId: number): Promise<number[]> {
  const rows = await db().select({ userId: a.userId }).from(a).where(eq(a.requestId, requestId)).all();
  return [...new Set(rows.map((row) => row.userId))];
}

type AssignReason = "filed" | "expired" | "waiting";

/**
 * Gives the request to the next pool member, if its assignment is still what the caller saw
 * (`expected`): a second sweeper run, or a concurrent one, finds it changed and does nothing.
 * Returns the new assignee's id, or null when nobody could take it.
 */
async function assignNext(
  request: SpecialRequest,
  reason: AssignReason,
  now: number,
): Promise<{ assigneeUserId: number | null; changed: boolean }> {
  const past = await pastAssignees(request.id);
  let chosen = await chooseAssignee(request, past, now);
  // Everyone has had a turn: start again with anyone but the person who just let it lapse.
  if (!chosen && past.length)
    chosen = await chooseAssignee(request, request.assigneeUserId ? [request.assigneeUserId] : [], now);
  const days = await getDeadlineDays();
  const newDue = chosen ? ackDueFrom(request, days, now) : null;
  if (!chosen && reason !== "expired") return { assigneeUserId: null, changed: false };

  const sameAsSeen = and(
    eq(r.id, request.id),
    eq(r.state, "new"),
    request.assigneeUserId === null ? isNull(r.assigneeUserId) : eq(r.assigneeUserId, request.assigneeUserId),
    request.ackDueAt === null ? isNull(r.ackDueAt) : eq(r.ackDueAt, request.ackDueAt),
  );
  const claimed = await db()
    .update(r)
    .set({ assigneeUserId: chosen?.userId ?? null, ackDueAt: newDue, updatedAt: now })
    .where(sameAsSeen)
    .returning({ id: r.id });
  if (claimed.length === 0) return { assigneeUserId: request.assigneeUserId, changed: false };

  const writes = [];
  if (request.assigneeUserId !== null) {
    writes.push(
      db()
        .update(a)
        .set({ endedAt: now, endReason: "expired" })
        .where(and(eq(a.requestId, request.id), eq(a.userId, request.assigneeUserId), isNull(a.endedAt))),
    );
  }
  if (chosen) {
    writes.push(
      db().insert(a).values({ requestId: request.id, userId: chosen.userId, assignedAt: now }),
      db().update(pm).set({ lastAssignedAt: now }).where(eq(pm.id, chosen.memberId)),
    );
  }
  writes.push(
    db()
      .insert(ev)
      .values({
        requestId: request.id,
        type: chosen ? (reason === "expired" ? "reassigned" : "assigned") : "unassigned",
        actorUserId: null,
        subjectUserId: chosen?.userId ?? null,
        createdAt: now,
      }),
  );
  const [first, ...rest] = writes;
  await db().batch([first!, ...rest]);
  log.info("special request assigned", {
    requestId: request.id,
    assigneeUserId: chosen?.userId ?? null,
    reason,
  });
  return { assigneeUserId: chosen?.userId ?? null, changed: true };
}

// ---------------------------------------------------------------------------------------------
// Emails (confidential ones say only that there is something to look at)

function requestUrl(id: number) {
  return `${env().appUrl}/requests/${id}`;
}

type EmailRequest = Pick<SpecialRequest, "id" | "kind" | "title" | "confidential"> & { packageName: string };

async function loadEmailRequest(id: number): Promise<EmailRequest | undefined> {
  return db()
    .select({ id: r.id, kind: r.kind, title: r.title, confidential: r.confidential, packageName: schema.packages.name })
    .from(r)
    .innerJoin(schema.packages, eq(schema.packages.id, r.packageId))
    .where(eq(r.id, id))
    .get();
}

function assignedEmail(
  req: EmailRequest,
  to: { id: number; email: string },
  dueAt: number,
  key: string,
): OutgoingEmail {
  const action = { href: requestUrl(req.id), label: "Open the request" };
  const reason =
    "You receive this because you are in one of the Roadies expert pools. Pause your availability on the pools page.";
  const props = req.confidential
    ? {
        appUrl: env().appUrl,
        heading: "A confidential request is waiting for you",
        paragraphs: [
          "You have been assigned a new confidential request on Roadies. Its details are shown only on the site, to the people allowed to see them.",
          "Please open it and acknowledge it before its deadline, or it will go to someone else.",
        ],
        action,
        reason,
      }
    : {
        appUrl: env().appUrl,
        heading: `${kindLabels[req.kind]} request for ${req.packageName}`,
        paragraphs: [
          `You have been assigned “${req.title}”, a ${kindLabels[req.kind].toLowerCase()} request for ${req.packageName}.`,
          `Please acknowledge it by ${new Date(dueAt).toUTCString()}, or it will go to someone else.`,
        ],
        action,
        reason,
      };
  const subject = req.confidential
    ? "New confidential request on Roadies"
    : `New ${kindLabels[req.kind].toLowerCase()} request: ${req.packageName}`;
  return {
    to: to.email,
    userId: to.id,
    template: "requests-assigned",
    idempotencyKey: key,
    ...requestNotice(subject, props),
  };
}

async function emailAssignee(requestId: number, assigneeUserId: number, now: number) {
  const req = await loadEmailRequest(requestId);
  const person = await db().select({ id: u.id, email: u.email }).from(u).where(eq(u.id, assigneeUserId)).get();
  const row = await db().select({ ackDueAt: r.ackDueAt }).from(r).where(eq(r.id, requestId)).get();
  if (!req || !person?.email) return;
  const assignment = await db()
    .select({ id: a.id })
    .from(a)
    .where(and(eq(a.requestId, requestId), eq(a.userId, assigneeUserId)))
    .orderBy(desc(a.id))
    .get();
  await sendBatch([
    assignedEmail(
      req,
      { id: person.id, email: person.email },
      row?.ackDueAt ?? now,
      `requests:assigned:${requestId}:${assignment?.id ?? 0}`,
    ),
  ]);
}

async function emailAdmins(requestId: number, key: string, what: "expired" | "nobody") {
  const req = await loadEmailRequest(requestId);
  if (!req) return;
  const admins = (await listWorkingGroupAdmins()).filter((x) => x.email);
  const subject =
    what === "expired" ? `Request #${req.id} was not acknowledged in time` : `Request #${req.id} has no expert`;
  const described = req.confidential
    ? `Confidential request #${req.id}`
    : `Request #${req.id} (“${req.title}”, ${req.packageName})`;
  const paragraphs =
    what === "expired"
      ? [
          `${described} was not acknowledged by its deadline, so it has been passed to the next member of the ${kindLabels[req.kind].toLowerCase()} pool.`,
        ]
      : [
          `${described} could not be assigned: nobody in the ${kindLabels[req.kind].toLowerCase()} pool is available. Please find someone or add members.`,
        ];
  await sendBatch(
    admins.map((admin) => ({
      to: admin.email!,
      userId: admin.userId,
      template: "requests-admins",
      idempotencyKey: `${key}:${admin.userId}`,
      ...requestNotice(subject, {
        appUrl: env().appUrl,
        heading: subject,
        paragraphs,
        action: { href: requestUrl(req.id), label: "Open the request" },
        reason: "You receive this because you are a working-group admin on Roadies.",
      }),
    })),
  );
}

// ---------------------------------------------------------------------------------------------
// Filing

/**
 * Runs a write that carries confidential text. Database errors quote the statement's parameters,
 * and errors end up in the log: replace them with one that names only what failed.
 */
async function withoutText<T>(what: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    const code = (error as { code?: unknown })?.code;
    throw new Error(`${what} failed${typeof code === "string" ? ` (${code})` : ""}`);
  }
}

/** Packages this person may file requests for: those they are a verified maintainer of. */
export function listFilablePackages(userId: number) {
  return db()
    .select({ id: schema.packages.id, name: schema.packages.name })
    .from(maint)
    .innerJoin(schema.packages, eq(schema.packages.id, maint.packageId))
    .where(and(eq(maint.userId, userId), isNotNull(maint.verifiedAt)))
    .orderBy(asc(sql`lower(${schema.packages.name})`))
    .all();
}

async function isVerifiedMaintainerOf(userId: number, packageId: number) {
  const row = await db()
    .select({ id: maint.id })
    .from(maint)
    .where(and(eq(maint.packageId, packageId), eq(maint.userId, userId), isNotNull(maint.verifiedAt)))
    .get();
  return Boolean(row);
}

export type FileResult =
  { ok: true; id: number; assigneeUserId: number | null } | { ok: false; field: "packageId"; problem: string };

/** How long an identical filing (same person, package and title) counts as the same intent. */
export const DUPLICATE_FILING_WINDOW_MS = 10 * 60 * 1000;

export async function fileRequest(userId: number, input: FileRequestInput, now = Date.now()): Promise<FileResult> {
  if (!(await isVerifiedMaintainerOf(userId, input.packageId))) {
    return {
      ok: false,
      field: "packageId",
      problem: "You can file requests only for packages you are a verified maintainer of.",
    };
  }
  const confidential = input.kind === "security" || Boolean(input.confidential);
  // One request per intent: the same person filing the same title for the same package within ten
  // minutes (a double click, a resubmitted form, concurrent posts) gets the request filed first.
  // The check and the insert are one statement, so concurrent filings cannot both pass it.
  const sameIntent = and(
    eq(r.filedByUserId, userId),
    eq(r.packageId, input.packageId),
    eq(r.title, input.title),
    gt(r.createdAt, now - DUPLICATE_FILING_WINDOW_MS),
  );
  const inserted = await withoutText("filing a special request", () =>
    db().all<{ id: number }>(sql`
      INSERT INTO special_requests (package_id, kind, title, details, severity, confidential, state, filed_by_user_id,
        created_at, updated_at)
      SELECT ${input.packageId}, ${input.kind}, ${input.title}, ${input.details},
        ${input.kind === "security" ? (input.severity ?? "none") : null}, ${confidential ? 1 : 0}, 'new', ${userId},
        ${now}, ${now}
      WHERE NOT EXISTS (SELECT 1 FROM special_requests WHERE ${sameIntent})
      RETURNING id`),
  );
  if (inserted.length === 0) {
    const earlier = (await db().select().from(r).where(sameIntent).orderBy(asc(r.id)).get())!;
    return { ok: true, id: earlier.id, assigneeUserId: earlier.assigneeUserId };
  }
  const request = (await db().select().from(r).where(eq(r.id, inserted[0]!.id)).get())!;
  await db().batch([
    db().insert(ev).values({ requestId: request.id, type: "filed", actorUserId: userId, createdAt: now }),
    auditEntry(
      {
        actorUserId: userId,
        action: "request.file",
        objectType: "special_request",
        objectId: request.id,
        detail: { kind: request.kind, confidential },
      },
      now,
    ),
  ]);
  log.info("special request filed", { requestId: request.id, userId });
  const { assigneeUserId } = await assignNext(request, "filed", now);
  if (assigneeUserId) await emailAssignee(request.id, assigneeUserId, now);
  else await emailAdmins(request.id, `requests:nobody:${request.id}`, "nobody");
  return { ok: true, id: request.id, assigneeUserId };
}

// ---------------------------------------------------------------------------------------------
// The sweeper: hourly, idempotent

/** Reassigns requests whose acknowledgement deadline passed, and assigns ones still waiting. */
export async function sweepRequests(now = Date.now()): Promise<{ reassigned: number; assigned: number }> {
  const expired = await db()
    .select()
    .from(r)
    .where(and(eq(r.state, "new"), isNotNull(r.ackDueAt), lte(r.ackDueAt, now)))
    .orderBy(asc(r.ackDueAt))
    .all();
  let reassigned = 0;
  for (const request of expired) {
    const result = await assignNext(request, "expired", now);
    if (!result.changed) continue;
    reassigned += 1;
    // The key names this lapse: the request's assignment count makes each lapse its own email.
    const lapses =
      (
        await db()
          .select({ n: count() })
          .from(a)
          .where(and(eq(a.requestId, request.id), eq(a.endReason, "expired")))
          .get()
      )?.n ?? 0;
    await emailAdmins(request.id, `requests:expired:${request.id}:${lapses}`, "expired");
    if (result.assigneeUserId) await emailAssignee(request.id, result.assigneeUserId, now);
  }
  const assigned = await assignWaitingRequests(now);
  return { reassigned, assigned };
}

/** Requests nobody could take when they were filed get a new try (someone joined or came back). */
export async function assignWaitingRequests(now = Date.now()): Promise<number> {
  const waiting = await db()
    .select()
    .from(r)
    .where(and(eq(r.state, "new"), isNull(r.assigneeUserId)))
    .orderBy(asc(r.createdAt))
    .all();
  let assigned = 0;
  for (const request of waiting) {
    const result = await assignNext(request, "waiting", now);
    if (result.changed && result.assigneeUserId) {
      assigned += 1;
      await emailAssignee(request.id, result.assigneeUserId, now);
    }
  }
  return assigned;
}

// ---------------------------------------------------------------------------------------------
// Who may see and do what

type Viewer = Pick<User, "id" | "isAdmin"> | null;

export type Access = {
  admin: boolean;
  maintainer: boolean;
  assignee: boolean;
  pastAssignee: boolean;
  /** May comment and see the timeline. */
  participant: boolean;
};

/** Parses a route id: only plain positive integers name a request. */
export function parseRequestId(raw: string | undefined): number | null {
  if (!raw || !/^[1-9]\d{0,15}$/.test(raw)) return null;
  const id = Number(raw);
  return Number.isSafeInteger(id) ? id : null;
}

/** Refused looks are counted, not listed: one audit row per person, request id and hour. */
export const REFUSED_LOOK_WINDOW_MS = 60 * 60 * 1000;

/**
 * The request if `viewer` may see it, else null, so callers answer exactly as for a missing id.
 * A confidential id the viewer may not see and a missing id take the same path: one query (the
 * request with the viewer's access), then, for a signed-in viewer, the same counted "refused look"
 * write; anonymous refused looks write nothing, so probing ids costs no more than a read. Every
 * allowed look at a confidential request is audited one row per look.
 */
export async function findVisibleRequest(viewer: Viewer, rawId: string | undefined, now = Date.now()) {
  const id = parseRequestId(rawId);
  if (id === null) return null;
  const viewerId = viewer?.id ?? null;
  const row = await db()
    .select({
      request: r,
      // Spelled out: drizzle leaves columns unqualified in a one-table select, which would make
      // both sides of a correlated comparison name the subquery's own table.
      maintainer: sql<number>`EXISTS (SELECT 1 FROM package_maintainers pm WHERE pm.package_id = special_requests.package_id
        AND pm.user_id = ${viewerId} AND pm.verified_at IS NOT NULL)`,
      pastAssignee: sql<number>`EXISTS (SELECT 1 FROM request_assignments ra WHERE ra.request_id = special_requests.id
        AND ra.user_id = ${viewerId})`,
      // An assignment is a power of the pool seat: it ends when the seat does (a roadie's seat with
      // the roadie term, any seat with a suspension), even before the request is handed on.
      seat: sql<number>`EXISTS (SELECT 1 FROM ${pm} WHERE ${pm.userId} = ${viewerId} AND ${pm.kind} = special_requests.kind
        AND ${poolSeatActiveSql(now)})`,
    })
    .from(r)
    .where(eq(r.id, id))
    .get();
  const access = accessFrom(viewer, row);
  if (row && (!row.request.confidential || access.participant)) {
    if (row.request.confidential)
      await recordAudit(
        { actorUserId: viewerId, action: "request.view", objectType: "special_request", objectId: id },
        now,
      );
    return { request: row.request, access };
  }
  if (viewerId !== null) await countRefusedLook(viewerId, id, now);
  return null;
}

function accessFrom(
  viewer: Viewer,
  row: { request: SpecialRequest; maintainer: number; pastAssignee: number; seat: number } | undefined,
): Access {
  if (!viewer || !row)
    return { admin: false, maintainer: false, assignee: false, pastAssignee: false, participant: false };
  const maintainer = Boolean(row.maintainer);
  const assignee = row.request.assigneeUserId === viewer.id && Boolean(row.seat);
  const pastAssignee = Boolean(row.pastAssignee) && Boolean(row.seat);
  const admin = viewer.isAdmin;
  return { admin, maintainer, assignee, pastAssignee, participant: admin || maintainer || assignee || pastAssignee };
}

/** Adds one to this hour's refused-look row for (viewer, id), creating it on the first look. */
async function countRefusedLook(viewerId: number, requestId: number, now: number) {
  const since = now - (now % REFUSED_LOOK_WINDOW_MS);
  const same = sql`action = 'request.view_refused' AND object_type = 'special_request'
    AND object_id = ${String(requestId)} AND actor_user_id = ${viewerId} AND created_at >= ${since}`;
  await db().batch([
    db().run(sql`UPDATE audit_log SET detail = json_set(detail, '$.count', json_extract(detail, '$.count') + 1)
      WHERE ${same}`),
    db().run(sql`INSERT INTO audit_log (actor_user_id, action, object_type, object_id, detail, created_at)
      SELECT ${viewerId}, 'request.view_refused', 'special_request', ${String(requestId)}, '{"count":1}', ${now}
      WHERE NOT EXISTS (SELECT 1 FROM audit_log WHERE ${same})`),
  ]);
}

export async function getRequestPage(request: SpecialRequest, access: Access) {
  const pkg = await db()
    .select({ name: schema.packages.name, normalizedName: schema.packages.normalizedName })
    .from(schema.packages)
    .where(eq(schema.packages.id, request.packageId))
    .get();
  const people = new Map<number, { login: string; name: string | null }>();
  const events = access.participant
    ? await db()
        .select({
          id: ev.id,
          type: ev.type,
          actorUserId: ev.actorUserId,
          subjectUserId: ev.subjectUserId,
          fromState: ev.fromState,
          toState: ev.toState,
          body: ev.body,
          createdAt: ev.createdAt,
        })
        .from(ev)
        .where(eq(ev.requestId, request.id))
        .orderBy(asc(ev.createdAt), asc(ev.id))
        .all()
    : [];
  const ids = new Set<number>();
  for (const e of events) {
    if (e.actorUserId) ids.add(e.actorUserId);
    if (e.subjectUserId) ids.add(e.subjectUserId);
  }
  if (request.assigneeUserId) ids.add(request.assigneeUserId);
  if (ids.size) {
    const rows = await db()
      .select({ id: u.id, login: u.login, name: u.name })
      .from(u)
      .where(inArray(u.id, [...ids]))
      .all();
    for (const row of rows) people.set(row.id, { login: row.login, name: row.name });
  }
  return { pkg: pkg ?? null, events, people };
}

// ---------------------------------------------------------------------------------------------
// Changes of state and comments

const transitions: Record<RequestAction, { from: RequestState[]; to: RequestState; who: (x: Access) => boolean }> = {
  acknowledge: { from: ["new"], to: "acknowledged", who: (x) => x.assignee },
  start: { from: ["acknowledged"], to: "in_progress", who: (x) => x.assignee || x.admin },
  resolve: { from: ["acknowledged", "in_progress"], to: "resolved", who: (x) => x.assignee || x.maintainer || x.admin },
  close: {
    from: ["new", "acknowledged", "in_progress", "resolved"],
    to: "closed",
    who: (x) => x.maintainer || x.admin,
  },
  reopen: { from: ["resolved", "closed"], to: "in_progress", who: (x) => x.maintainer || x.admin },
};

/** The actions this person can take on the request now. */
export function availableActions(request: SpecialRequest, access: Access): RequestAction[] {
  return requestActions.filter((name) => {
    const t = transitions[name];
    if (!t.from.includes(request.state) || !t.who(access)) return false;
    // Reopening a request nobody ever acknowledged would skip the deadline: file it again instead.
    return name !== "reopen" || request.acknowledgedAt !== null;
  });
}

export async function changeState(
  request: SpecialRequest,
  access: Access,
  action: RequestAction,
  actorUserId: number,
  now = Date.now(),
): Promise<boolean> {
  if (!availableActions(request, access).includes(action)) return false;
  const t = transitions[action];
  const updated = await db()
    .update(r)
    .set({
      state: t.to,
      updatedAt: now,
      ...(action === "acknowledge" ? { acknowledgedAt: now, ackDueAt: null } : {}),
      ...(action === "close" ? { ackDueAt: null } : {}),
    })
    .where(and(eq(r.id, request.id), eq(r.state, request.state)))
    .returning({ id: r.id });
  if (!updated.length) return false;
  await db().batch([
    db().insert(ev).values({
      requestId: request.id,
      type: "state",
      actorUserId,
      fromState: request.state,
      toState: t.to,
      createdAt: now,
    }),
    auditEntry({ actorUserId, action: `request.${action}`, objectType: "special_request", objectId: request.id }, now),
  ]);
  log.info("special request state changed", { requestId: request.id, userId: actorUserId, to: t.to });
  return true;
}

export async function addComment(
  request: SpecialRequest,
  access: Access,
  authorUserId: number,
  body: string,
  now = Date.now(),
) {
  if (!access.participant) return null;
  const [row] = await withoutText(`commenting on special request ${request.id}`, () =>
    db()
      .insert(ev)
      .values({ requestId: request.id, type: "comment", actorUserId: authorUserId, body, createdAt: now })
      .returning({ id: ev.id }),
  );
  await db().update(r).set({ updatedAt: now }).where(eq(r.id, request.id));
  log.info("special request comment", { requestId: request.id, eventId: row!.id, userId: authorUserId });
  await emailCommentRecipients(request, authorUserId, row!.id);
  return row!.id;
}

/** The maintainers and the current assignee hear about a comment, except its author. */
async function emailCommentRecipients(request: SpecialRequest, authorUserId: number, eventId: number) {
  const req = await loadEmailRequest(request.id);
  if (!req) return;
  const recipients = await db()
    .select({ id: u.id, email: u.email })
    .from(u)
    .where(
      and(
        ne(u.id, authorUserId),
        isNotNull(u.email),
        or(
          request.assigneeUserId ? eq(u.id, request.assigneeUserId) : undefined,
          sql`${u.id} IN (SELECT ${maint.userId} FROM ${maint} WHERE ${maint.packageId} = ${request.packageId} AND ${maint.verifiedAt} IS NOT NULL)`,
        ),
      ),
    )
    .all();
  const subject = req.confidential ? "New activity on a confidential request" : `New comment on “${req.title}”`;
  const paragraphs = req.confidential
    ? ["Someone commented on a confidential request you are part of. The comment is shown only on the site."]
    : [
        `There is a new comment on ${kindLabels[req.kind].toLowerCase()} request “${req.title}” for ${req.packageName}.`,
      ];
  await sendBatch(
    recipients.map((p) => ({
      to: p.email!,
      userId: p.id,
      template: "requests-comment",
      idempotencyKey: `requests:comment:${eventId}:${p.id}`,
      ...requestNotice(subject, {
        appUrl: env().appUrl,
        heading: subject,
        paragraphs,
        action: { href: requestUrl(req.id), label: "Read the comment" },
        reason: "You receive this because you maintain this package or are assigned to this request.",
      }),
    })),
  );
}

// ---------------------------------------------------------------------------------------------
// Lists

const listColumns = {
  id: r.id,
  kind: r.kind,
  title: r.title,
  severity: r.severity,
  confidential: r.confidential,
  state: r.state,
  ackDueAt: r.ackDueAt,
  createdAt: r.createdAt,
  packageName: schema.packages.name,
};

export type RequestListItem = Awaited<ReturnType<typeof listPublicRequests>>[number];

/** Open requests anyone may see: never a confidential one. */
export function listPublicRequests(limit = 50) {
  return db()
    .select(listColumns)
    .from(r)
    .innerJoin(schema.packages, eq(schema.packages.id, r.packageId))
    .where(and(eq(r.confidential, false), inArray(r.state, OPEN_STATES)))
    .orderBy(desc(r.createdAt))
    .limit(limit)
    .all();
}

/** Requests for the packages this person verified-maintains. */
export function listFiledFor(userId: number) {
  return db()
    .select(listColumns)
    .from(r)
    .innerJoin(schema.packages, eq(schema.packages.id, r.packageId))
    .where(
      sql`${r.packageId} IN (SELECT ${maint.packageId} FROM ${maint} WHERE ${maint.userId} = ${userId} AND ${maint.verifiedAt} IS NOT NULL)`,
    )
    .orderBy(desc(r.createdAt))
    .all();
}

/** Requests this person is or was assigned. */
export function listAssignedTo(userId: number) {
  return db()
    .select({ ...listColumns, current: sql<number>`${r.assigneeUserId} = ${userId}` })
    .from(r)
    .innerJoin(schema.packages, eq(schema.packages.id, r.packageId))
    .where(sql`${r.id} IN (SELECT ${a.requestId} FROM ${a} WHERE ${a.userId} = ${userId})`)
    .orderBy(desc(r.createdAt))
    .all();
}

/** Admins: every request, newest first. */
export function listAllRequests(limit = 200) {
  return db()
    .select(listColumns)
    .from(r)
    .innerJoin(schema.packages, eq(schema.packages.id, r.packageId))
    .orderBy(desc(r.createdAt))
    .limit(limit)
    .all();
}

/** Rate limit on filing, per person. */
export const FILE_RATE_RULE = { name: "requests-file", limit: 5, windowMs: 60 * 60 * 1000 };
