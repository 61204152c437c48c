// Threads: made by the write that begins their subject (an interest accepted, a handover started, a
// request filed or reopened, an application submitted), so that a page only ever reads them; found
// for a viewer only when the viewer is a member now (membership.server.ts), and each person's own
// state in them (read, muted, joined). A thread the viewer is not in and a missing one take the
// same path; looks at a confidential request's thread are audited as the request's are.
import { and, eq, isNotNull, sql, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import { db, preparedSql, schema, type Database } from "#app/utils/db.server.ts";
import { HOUR_MS } from "#app/utils/dates.ts";
import { auditEntry, countedAuditEntry } from "#app/models/moderation/audit.server.ts";
import { hasRole, hasRoleSql } from "#app/models/people/powers.server.ts";
import {
  isMember,
  mayJoin,
  memberSql,
  openSubjectSql,
  subjectOf,
  type Subject,
} from "#app/models/conversations/membership.server.ts";
import { threadSubjectTypes, type Thread, type ThreadSubjectType } from "#db/schema.ts";

const t = schema.threads;
const ts = schema.threadStates;

/** Parses a route id: only plain positive integers name a thread. */
export function parseThreadId(raw: string | undefined | null): number | null {
  if (!raw || !/^[1-9]\d{0,15}$/.test(raw)) return null;
  const id = Number(raw);
  return Number.isSafeInteger(id) ? id : null;
}

export function getThread(id: number) {
  return db().select().from(t).where(eq(t.id, id)).get();
}

export function findThreadBySubject(type: ThreadSubjectType, subjectId: number) {
  return db()
    .select()
    .from(t)
    .where(and(eq(t.subjectType, type), eq(t.subjectId, subjectId)))
    .get();
}

/**
 * THE way a thread is made: the write that makes the subject's thread, run in the same batch as
 * (after) the write that begins the subject, so that the subject never exists open without its
 * conversation and no page has to make one. Makes nothing when the subject is not open now (a
 * conversation begins with its subject, never for one that ended or whose write did not apply) or
 * already has its thread. `subjectId`: the id, or a subquery naming a row the batch made.
 */
export function makeThreadWrite(type: ThreadSubjectType, subjectId: number | SQL, now: number, database = db()) {
  return database.run(sql`INSERT INTO ${t} (subject_type, subject_id, created_at, updated_at)
    SELECT ${type}, ${subjectId}, ${now}, ${now} WHERE ${openSubjectSql(type, subjectId)}
    ON CONFLICT DO NOTHING`);
}

/** The subject tables, for `makeMissingThreads`. */
const subjectTables = {
  interest: schema.callInterests,
  transfer: schema.transfers,
  request: schema.specialRequests,
  application: schema.applications,
} as const;

/**
 * Makes the thread of every open subject that has none: for data written around the app's own
 * writes (the demo's seeds). The migration `0035_threads_of_open_subjects` did the same once for the
 * subjects that began before threads were made with them.
 */
export async function makeMissingThreads(database: Database, now: number) {
  const [first, ...rest] = threadSubjectTypes.map((type) =>
    database.run(sql`INSERT INTO ${t} (subject_type, subject_id, created_at, updated_at)
      SELECT ${type}, s.id, ${now}, ${now} FROM ${subjectTables[type]} s WHERE ${openSubjectSql(type, sql`s.id`)}
      ON CONFLICT DO NOTHING`),
  );
  await database.batch([first!, ...rest]);
}

/**
 * The subject's thread; made now if it has none and the subject is open (subjects the app wrote
 * have theirs from the start); null when the subject has no conversation.
 */
export async function ensureThread(type: ThreadSubjectType, subjectId: number, now = Date.now()) {
  const existing = await findThreadBySubject(type, subjectId);
  if (existing) return existing;
  await makeThreadWrite(type, subjectId, now);
  return (await findThreadBySubject(type, subjectId)) ?? null;
}

/**
 * SQL: the id of the subject's thread when `userId` is a member of it now (memberSql, the rule
 * isMember applies), else NULL. A page listing many subjects selects it beside each one.
 */
export function memberThreadIdSql(
  type: ThreadSubjectType | SQL,
  subjectId: number | SQL | SQLiteColumn,
  userId: number | SQL,
  now: number | SQL,
): SQL<number | null> {
  return sql<number | null>`(SELECT ${t.id} FROM ${t} WHERE ${t.subjectType} = ${type} AND ${t.subjectId} = ${subjectId}
    AND ${memberSql(userId, now)})`;
}

/**
 * threadLinkFor's question in one query, built once (db.server.ts `preparedSql`): the subject's
 * thread if it has one, whether the viewer is a member now (memberSql, the rule loadSubject's member
 * lists follow) and whether they may join it (mayJoin's rule: a working-group member, on a transfer's).
 */
const threadLink = preparedSql<{ id: number | null; member: number | null; joiner: number | null }>(() => {
  const type = sql`${sql.placeholder("type")}`;
  const subjectId = sql`${sql.placeholder("subjectId")}`;
  const userId = sql`${sql.placeholder("userId")}`;
  const now = sql`${sql.placeholder("now")}`;
  const threadId = sql`(SELECT ${t.id} FROM ${t} WHERE ${t.subjectType} = ${type} AND ${t.subjectId} = ${subjectId})`;
  return sql`SELECT ${threadId} AS id, ${memberSql(userId, now, { type, id: subjectId, threadId })} AS member,
    (${type} = 'transfer' AND EXISTS (SELECT 1 FROM transfers tl_t WHERE tl_t.id = ${subjectId})
      AND ${hasRoleSql(userId, ["working_group"], now)}) AS joiner`;
});

/**
 * Where a subject page links to its conversation for this viewer: the thread when the viewer is in
 * it or may join it, else null (no link). One round trip: the thread was made with its subject.
 */
export async function threadLinkFor(userId: number, type: ThreadSubjectType, subjectId: number, now = Date.now()) {
  const [row] = await threadLink({ type, subjectId, userId, now });
  return row?.id && (Number(row.member) || Number(row.joiner)) ? `/threads/${row.id}` : null;
}

export type ThreadAccess = {
  thread: Thread;
  subject: Subject;
  /** In the thread now (may read and, while it is open, write). */
  member: boolean;
  /** Not in it, but may join (working group, transfers): sees only the join form. */
  canJoin: boolean;
};

/** Refused looks at a confidential thread are counted, not listed: one row per person, thread and hour. */
const REFUSED_LOOK_WINDOW_MS = HOUR_MS;

/**
 * The thread with the viewer's place in it, or null when it does not exist or the viewer is neither
 * a member nor allowed to join (the caller answers as for a missing id). `audit`: a look at the
 * content (the page, an action), audited for a confidential request's thread; the live version
 * poll shows no content and is not. `"refusals"`: only a refused look is audited here, the caller
 * writes the look itself with its own writes (`viewAuditEntry`, the thread page). `thread`: the
 * row (null: none), when the caller already asked for it beside the session.
 */
export async function findThreadFor(
  viewer: { id: number },
  threadId: number | null,
  {
    audit = true,
    now = Date.now(),
    thread: asked,
  }: { audit?: boolean | "refusals"; now?: number; thread?: Thread | null } = {},
): Promise<ThreadAccess | null> {
  if (threadId === null) return null;
  const thread = asked === undefined ? await getThread(threadId) : asked;
  // The subject, and (only a transfer's thread may be joined) the viewer's working-group stint,
  // side by side: one round trip.
  const [subject, workingGroup] = thread
    ? await Promise.all([
        subjectOf(thread, now),
        thread.subjectType === "transfer" ? hasRole(viewer.id, "working_group", now) : false,
      ])
    : [null, false];
  const member = subject ? isMember(subject, viewer.id) : false;
  const canJoin = subject && !member ? mayJoin(subject, viewer.id, workingGroup) : false;
  if (!thread || !subject || (!member && !canJoin)) {
    // A thread one may not see and a missing one take the same path: the same counted refused look.
    if (audit) {
      await db().batch(
        countedAuditEntry(
          { actorUserId: viewer.id, action: "thread.view_refused", objectType: "thread", objectId: threadId },
          now - (now % REFUSED_LOOK_WINDOW_MS),
          now,
        ),
      );
    }
    return null;
  }
  const access = { thread, subject, member, canJoin };
  if (audit === true) {
    const look = viewAuditEntry(viewer, access, now);
    if (look) await look;
  }
  return access;
}

/** The audit entry of a member's look at a confidential request's thread (null: nothing to audit). */
export function viewAuditEntry(viewer: { id: number }, { thread, subject, member }: ThreadAccess, now: number) {
  if (!subject.confidential || !member) return null;
  return auditEntry(
    {
      actorUserId: viewer.id,
      action: "request.thread_view",
      objectType: "special_request",
      objectId: subject.id,
      detail: { threadId: thread.id },
    },
    now,
  );
}

/** The viewer's own state in a thread (no row: never read, not muted, not joined). */
export async function getThreadState(threadId: number, userId: number) {
  const row = await db()
    .select()
    .from(ts)
    .where(and(eq(ts.threadId, threadId), eq(ts.userId, userId)))
    .get();
  return { lastReadAt: row?.lastReadAt ?? null, mutedAt: row?.mutedAt ?? null, joinedAt: row?.joinedAt ?? null };
}

function upsertState(threadId: number, userId: number, set: Partial<typeof ts.$inferInsert>) {
  return db()
    .insert(ts)
    .values({ threadId, userId, ...set })
    .onConflictDoUpdate({ target: [ts.threadId, ts.userId], set });
}

/** The viewer read the thread now: the write, to run inside a `db().batch([...])` with the page's others. */
export function markReadWrite(threadId: number, userId: number, now: number) {
  return upsertState(threadId, userId, { lastReadAt: now });
}

export async function setMuted(threadId: number, userId: number, muted: boolean, now = Date.now()) {
  await upsertState(threadId, userId, { mutedAt: muted ? now : null });
}

/** A thread changed in a way its readers should see: the live version moves on. */
export function touchThread(threadId: number, now: number, { message = false } = {}) {
  return db()
    .update(t)
    .set({
      updatedAt: sql`max(${t.updatedAt} + 1, ${now})`,
      ...(message ? { lastMessageAt: now } : {}),
    })
    .where(eq(t.id, threadId));
}

/** A working-group member joins (or leaves) a transfer's thread; the members see the change. */
export async function setJoined(threadId: number, userId: number, joined: boolean, now = Date.now()) {
  await db().batch([upsertState(threadId, userId, { joinedAt: joined ? now : null }), touchThread(threadId, now)]);
}

/** Members who muted the thread (they get no notification of its messages). */
export async function mutedUserIds(threadId: number): Promise<Set<number>> {
  const rows = await db()
    .select({ userId: ts.userId })
    .from(ts)
    .where(and(eq(ts.threadId, threadId), isNotNull(ts.mutedAt)))
    .all();
  return new Set(rows.map((r) => r.userId));
}

/** The live version of a thread for a viewer: changes with every message, edit, deletion or join. */
export function threadVersion(thread: Pick<Thread, "id" | "updatedAt">): string {
  return `"t${thread.id}-${thread.updatedAt}"`;
}
