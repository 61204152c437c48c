// Special requests: filing, who may see what, and the lists. Confidential requests (every
// security request, and any request marked so) are visible only to the package's verified
// maintainers, the request's current and past assignees and the working-group admins; to everyone
// else they do not exist. Logs carry ids only. Routing lives in routing.server.ts, the pools in
// pools.server.ts, state changes and comments in events.server.ts, emails in emails.server.ts.
import { and, asc, desc, eq, gt, inArray, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import { db, schema } from "#app/utils/db.server.ts";
import { log } from "#app/utils/log.server.ts";
import { auditEntry, countedAuditEntry } from "#app/models/moderation/audit.server.ts";
import { makeThreadWrite, memberThreadIdSql } from "#app/models/conversations/threads.server.ts";
import { poolSeatActiveSql } from "#app/models/people/powers.server.ts";
import {
  isVerifiedMaintainer,
  verifiedMaintainerSql,
  verifiedRowSql,
} from "#app/models/packages/maintainers.server.ts";
import { assignNext } from "#app/models/requests/routing.server.ts";
import { emailAdmins, emailAssignee } from "#app/models/requests/emails.server.ts";
import type { SpecialRequest, User } from "#db/schema.ts";
import type { FileRequestInput, RequestState } from "#app/models/requests/forms.ts";
import { HOUR_MS } from "#app/utils/dates.ts";

export type { SpecialRequest };

const r = schema.specialRequests;
const a = schema.requestAssignments;
const ev = schema.requestEvents;
const pm = schema.expertPoolMembers;
const u = schema.users;
const maint = schema.packageMaintainers;

const OPEN_STATES: RequestState[] = ["new", "acknowledged", "in_progress"];

// ---------------------------------------------------------------------------------------------
// Filing

/**
 * Runs a write that carries confidential text. Database errors quote the statement's parameters,
 * and errors end up in the log: replace them with one that names only what failed.
 */
export async function withoutText<T>(what: string, write: () => Promise<T>): Promise<T> {
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
    .where(and(eq(maint.userId, userId), verifiedRowSql))
    .orderBy(asc(sql`lower(${schema.packages.name})`))
    .all();
}

export type FileResult =
  { ok: true; id: number; assigneeUserId: number | null } | { ok: false; field: "packageId"; problem: string };

/** How long an identical filing (same person, package and title) counts as the same intent. */
export const DUPLICATE_FILING_WINDOW_MS = 10 * 60 * 1000;

export async function fileRequest(userId: number, input: FileRequestInput, now = Date.now()): Promise<FileResult> {
  if (!(await isVerifiedMaintainer(userId, input.packageId))) {
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
    // The conversation of the filer and the assigned expert begins with the request: their first
    // visit only reads it (membership follows the assignment, derived on every read).
    makeThreadWrite("request", request.id, now),
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
export const REFUSED_LOOK_WINDOW_MS = HOUR_MS;

/** A request's assigned expert, as its page names them. */
const expert = alias(u, "request_expert");

/**
 * The request with the viewer's access to it, in one query, and beside it what its page shows with
 * it: the package, the assigned expert, and the viewer's conversation about it (the thread when the
 * viewer is in it: conversations/membership.server.ts decides). None of it is returned before the
 * access is decided.
 */
function requestWithAccess(viewerId: number | null, id: number, now: number) {
  const viewer = viewerId ?? sql`NULL`;
  return db()
    .select({
      request: r,
      maintainer: sql<number>`${verifiedMaintainerSql(viewerId, r.packageId)}`,
      pastAssignee: sql<number>`EXISTS (SELECT 1 FROM request_assignments ra WHERE ra.request_id = special_requests.id
        AND ra.user_id = ${viewerId})`,
      // An assignment is a power of the pool seat: it ends when the seat does (a roadie's seat with
      // the roadie term, any seat with a suspension), even before the request is handed on.
      seat: sql<number>`EXISTS (SELECT 1 FROM ${pm} WHERE ${pm.userId} = ${viewerId} AND ${pm.kind} = special_requests.kind
        AND ${poolSeatActiveSql(now)})`,
      pkg: { name: schema.packages.name, normalizedName: schema.packages.normalizedName },
      expert: { login: expert.login, name: expert.name },
      threadId: memberThreadIdSql("request", r.id, viewer, now),
    })
    .from(r)
    .leftJoin(schema.packages, eq(schema.packages.id, r.packageId))
    .leftJoin(expert, eq(expert.id, r.assigneeUserId))
    .where(eq(r.id, id))
    .get();
}

type RequestRow = NonNullable<Awaited<ReturnType<typeof requestWithAccess>>>;

/**
 * The request's row and the viewer's access if `viewer` may see it, else null, so callers answer
 * exactly as for a missing id. A confidential id the viewer may not see and a missing id take the
 * same path: one query (the request with the viewer's access), then, for a signed-in viewer, the
 * same counted "refused look" write; anonymous refused looks write nothing, so probing ids costs
 * no more than a read. The caller audits an allowed look at a confidential request (`viewAudit`).
 */
async function lookUp(viewer: Viewer, rawId: string | undefined, now: number) {
  const id = parseRequestId(rawId);
  if (id === null) return null;
  const viewerId = viewer?.id ?? null;
  const row = await requestWithAccess(viewerId, id, now);
  const access = accessFrom(viewer, row);
  if (row && (!row.request.confidential || access.participant)) return { row, access };
  if (viewerId !== null) await countRefusedLook(viewerId, id, now);
  return null;
}

/** The audit entry of an allowed look at a confidential request: one row per look. */
const viewAudit = (viewer: Viewer, request: SpecialRequest, now: number) =>
  auditEntry(
    { actorUserId: viewer?.id ?? null, action: "request.view", objectType: "special_request", objectId: request.id },
    now,
  );

/**
 * The request if `viewer` may see it, else null, so callers answer exactly as for a missing id
 * (`lookUp`). Every allowed look at a confidential request is audited one row per look.
 */
export async function findVisibleRequest(viewer: Viewer, rawId: string | undefined, now = Date.now()) {
  const found = await lookUp(viewer, rawId, now);
  if (!found) return null;
  if (found.row.request.confidential) await viewAudit(viewer, found.row.request, now);
  return { request: found.row.request, access: found.access };
}

function accessFrom(
  viewer: Viewer,
  row: Pick<RequestRow, "request" | "maintainer" | "pastAssignee" | "seat"> | undefined,
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
  // Audit entries are never updated: the first look of the hour is the entry, the count is kept beside it.
  await db().batch(
    countedAuditEntry(
      { actorUserId: viewerId, action: "request.view_refused", objectType: "special_request", objectId: requestId },
      since,
      now,
    ),
  );
}

const actor = alias(u, "event_actor");
const subject = alias(u, "event_subject");

/** A request's timeline, oldest first, with the people each event names. */
function timeline(requestId: number) {
  return db()
    .select({
      id: ev.id,
      type: ev.type,
      actorUserId: ev.actorUserId,
      actor: { login: actor.login, name: actor.name },
      subject: { login: subject.login, name: subject.name },
      fromState: ev.fromState,
      toState: ev.toState,
      body: ev.body,
      createdAt: ev.createdAt,
    })
    .from(ev)
    .leftJoin(actor, eq(actor.id, ev.actorUserId))
    .leftJoin(subject, eq(subject.id, ev.subjectUserId))
    .where(eq(ev.requestId, requestId))
    .orderBy(asc(ev.createdAt), asc(ev.id));
}

/**
 * The request's page if `viewer` may see it, else null, on the same path as `findVisibleRequest`:
 * the request with everything shown beside it in one query, then the timeline for participants,
 * read in the same round trip as the audit entry of a look at a confidential request.
 */
export async function getRequestPage(viewer: Viewer, rawId: string | undefined, now = Date.now()) {
  const found = await lookUp(viewer, rawId, now);
  if (!found) return null;
  const { row, access } = found;
  const { request } = row;
  let events: Awaited<ReturnType<typeof timeline>> = [];
  if (request.confidential) {
    // Confidential: only participants get here, and their look is audited with the read.
    [, events] = await db().batch([viewAudit(viewer, request, now), timeline(request.id)]);
  } else if (access.participant) {
    events = await timeline(request.id);
  }
  return {
    request,
    access,
    pkg: row.pkg,
    expert: row.expert,
    events,
    threadId: row.threadId,
  };
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
    .where(verifiedMaintainerSql(userId, r.packageId))
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
export const FILE_RATE_RULE = { name: "requests-file", limit: 5, windowMs: HOUR_MS };
