// Who belongs to a thread: the one home of the rule, derived from the thread's subject on every
// read and write, never stored. A power lasts as long as its source, so a maintainer who is no
// longer a verified maintainer, an expert whose assignment or pool seat ended, an organiser who left,
// a shepherd whose roadie term ended or a working-group member whose stint ended is out of the
// thread at once. Suspended accounts are never members.
//
// - accepted interest: the package's verified maintainers and the volunteer;
// - transfer: the package's verified maintainers, the successor, the shepherd roadie, and
//   working-group members who chose to join;
// - special request: the filer (while still a verified maintainer of the package) and the current
//   assignee (while their pool seat holds); a confidential request's thread is as confidential as
//   the request, and its title never leaves the thread;
// - programme application: the programme's organisers and the applicant.
import { and, eq, isNotNull, or, sql, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import { db, schema } from "#app/utils/db.server.ts";
import { verifiedMaintainerSql, verifiedRowSql } from "#app/models/packages/maintainers.server.ts";
import { hasRoleSql, poolSeatActiveSql } from "#app/models/people/powers.server.ts";
import type { Thread, ThreadSubjectType } from "#db/schema.ts";

/** The part a member plays, in words on the thread page. */
export const memberRoleLabels = {
  maintainer: "maintainer",
  volunteer: "volunteer",
  successor: "successor",
  roadie: "shepherd roadie",
  "working-group": "working group",
  filer: "filed the request",
  expert: "assigned expert",
  organiser: "organiser",
  applicant: "applicant",
} as const;
export type MemberRole = keyof typeof memberRoleLabels;

export type Subject = {
  type: ThreadSubjectType;
  id: number;
  /** What the thread is about, for its members. */
  title: string;
  /** What the thread is about, for notifications and emails: never a confidential request's title. */
  safeTitle: string;
  /** The subject's own page (for members). */
  href: string;
  confidential: boolean;
  /** False once the subject ended (an interest withdrawn, a request closed…): the thread is read-only. */
  open: boolean;
  /** Why it is read-only, when it is. */
  closedReason: string | null;
  /** Everyone in the thread now, with the part they play (one entry per person) and their name. */
  members: { userId: number; role: MemberRole; login: string; name: string | null }[];
  /** Working-group members may join this thread (transfers only). */
  joinable: boolean;
  /**
   * Under anonymised programme review, before the decision is sent: organisers see the applicant
   * as "the applicant", never their name or login.
   */
  anonymousUserId: number | null;
};

const pm = schema.packageMaintainers;
const th = schema.threads;

/** A user id: a number, or a column/expression of the surrounding query. */
type Ref = number | SQL | SQLiteColumn;

/**
 * SQL: `userId` is a member of the thread (`threads` row of the surrounding query, or the subject
 * named by `type`/`subjectId` with `threadId`) now. THE rule: the member lists below are candidates
 * filtered by it, the inbox hides notifications of threads a person left by it, and a test checks
 * every subject type against it.
 */
export function memberSql(
  userId: Ref,
  now: number | SQL,
  subject: { type: SQL | SQLiteColumn | ThreadSubjectType; id: Ref; threadId: Ref | null } = {
    type: th.subjectType,
    id: th.subjectId,
    threadId: th.id,
  },
): SQL {
  const seat = schema.expertPoolMembers;
  const joined =
    subject.threadId === null
      ? sql`0`
      : sql`EXISTS (SELECT 1 FROM thread_states mb_s WHERE mb_s.thread_id = ${subject.threadId}
          AND mb_s.user_id = ${userId} AND mb_s.joined_at IS NOT NULL)`;
  return sql`(NOT ${isSuspendedSql(userId)} AND CASE ${subject.type}
    WHEN 'interest' THEN EXISTS (SELECT 1 FROM call_interests mb_i JOIN calls mb_c ON mb_c.id = mb_i.call_id
      WHERE mb_i.id = ${subject.id} AND mb_i.status IN ('accepted', 'withdrawn')
        AND (mb_i.user_id = ${userId} OR ${verifiedMaintainerSql(userId, sql`mb_c.package_id`)}))
    WHEN 'transfer' THEN EXISTS (SELECT 1 FROM transfers mb_t JOIN calls mb_c ON mb_c.id = mb_t.call_id
      WHERE mb_t.id = ${subject.id}
        AND (${verifiedMaintainerSql(userId, sql`mb_c.package_id`)} OR mb_t.successor_user_id = ${userId}
          OR (mb_t.roadie_user_id = ${userId} AND ${hasRoleSql(userId, ["roadie"], now)})
          OR (${joined} AND ${hasRoleSql(userId, ["working_group"], now)})))
    WHEN 'request' THEN EXISTS (SELECT 1 FROM special_requests mb_r WHERE mb_r.id = ${subject.id}
      AND ((mb_r.filed_by_user_id = ${userId} AND ${verifiedMaintainerSql(userId, sql`mb_r.package_id`)})
        OR (mb_r.assignee_user_id = ${userId} AND EXISTS (SELECT 1 FROM ${seat} WHERE ${seat.userId} = ${userId}
          AND ${seat.kind} = mb_r.kind AND ${poolSeatActiveSql(now)}))))
    WHEN 'application' THEN EXISTS (SELECT 1 FROM applications mb_a WHERE mb_a.id = ${subject.id}
      AND mb_a.status <> 'draft' AND (mb_a.user_id = ${userId}
        OR EXISTS (SELECT 1 FROM program_organisers mb_o WHERE mb_o.program_id = mb_a.program_id
          AND mb_o.user_id = ${userId})))
    ELSE 0 END)`;
}

/**
 * SQL: the subject's conversation is open now (its `open` below): an interest accepted (not
 * withdrawn), a handover not cancelled, a request not closed, an application submitted (neither a
 * draft nor withdrawn). A subject's thread is made when this becomes true (threads.server.ts
 * `makeThreadWrite`).
 */
export function openSubjectSql(type: ThreadSubjectType, id: Ref): SQL {
  switch (type) {
    case "interest":
      return sql`EXISTS (SELECT 1 FROM call_interests os_i WHERE os_i.id = ${id} AND os_i.status = 'accepted')`;
    case "transfer":
      return sql`EXISTS (SELECT 1 FROM transfers os_t WHERE os_t.id = ${id} AND os_t.status <> 'cancelled')`;
    case "request":
      return sql`EXISTS (SELECT 1 FROM special_requests os_r WHERE os_r.id = ${id} AND os_r.state <> 'closed')`;
    case "application":
      return sql`EXISTS (SELECT 1 FROM applications os_a WHERE os_a.id = ${id} AND os_a.status = 'submitted')`;
  }
}

const isSuspendedSql = (userId: Ref) =>
  sql`EXISTS (SELECT 1 FROM account_suspensions mb_x WHERE mb_x.user_id = ${userId})`;

/**
 * Verified maintainers of a package (user ids), the package named by a subquery so that the list is
 * asked beside the subject's own row, not after it. Candidates, filtered by `memberSql`.
 */
function verifiedMaintainersOf(packageId: SQL) {
  return db()
    .select({ userId: pm.userId })
    .from(pm)
    .where(and(eq(pm.packageId, packageId), verifiedRowSql, isNotNull(pm.userId)));
}

/**
 * Who could be a member (`sources`: subqueries of user ids, each naming the subject by its id),
 * kept only when `memberSql` says they are in the thread now, with their names. Asked beside the
 * subject's row and candidate lists (one round trip in all); `membersAmong` then gives the roles.
 */
async function settle(
  type: ThreadSubjectType,
  subjectId: number,
  threadId: number | null,
  sources: SQL[],
  now: number,
): Promise<Map<number, { login: string; name: string | null }>> {
  const u = schema.users;
  const rows = await db()
    .select({ id: u.id, login: u.login, name: u.name })
    .from(u)
    .where(
      and(
        or(...sources.map((source) => sql`${u.id} IN ${source}`)),
        memberSql(u.id, now, { type, id: subjectId, threadId }),
      ),
    )
    .all();
  return new Map(rows.map((r) => [r.id, { login: r.login, name: r.name }]));
}

/**
 * The members among `candidates` (everyone who could be one, with the part they would play, read in
 * the same snapshot as `settled`): one role per person (the first), kept when settled.
 */
function membersAmong(
  candidates: { userId: number | null; role: MemberRole }[],
  settled: Map<number, { login: string; name: string | null }>,
): Subject["members"] {
  const seen = new Map<number, MemberRole>();
  for (const m of candidates) if (m.userId !== null && !seen.has(m.userId)) seen.set(m.userId, m.role);
  return [...seen].flatMap(([userId, role]) => {
    const person = settled.get(userId);
    return person ? [{ userId, role, ...person }] : [];
  });
}

async function interestSubject(id: number, threadId: number | null, now: number): Promise<Subject | null> {
  const i = schema.callInterests;
  const c = schema.calls;
  const packageId = sql`(SELECT sb_c.package_id FROM call_interests sb_i JOIN calls sb_c ON sb_c.id = sb_i.call_id
    WHERE sb_i.id = ${id})`;
  const maintainersOf = verifiedMaintainersOf(packageId);
  const [row, maintainers, settled] = await Promise.all([
    db()
      .select({
        volunteer: i.userId,
        status: i.status,
        open: sql<number>`${openSubjectSql("interest", i.id)}`,
        callId: c.id,
        callTitle: c.title,
        packageId: c.packageId,
      })
      .from(i)
      .innerJoin(c, eq(c.id, i.callId))
      .where(eq(i.id, id))
      .get(),
    maintainersOf.all(),
    settle(
      "interest",
      id,
      threadId,
      [sql`${maintainersOf}`, sql`(SELECT sb_v.user_id FROM call_interests sb_v WHERE sb_v.id = ${id})`],
      now,
    ),
  ]);
  if (!row || row.status === "pending" || row.status === "declined") return null;
  const open = Boolean(row.open);
  return {
    type: "interest",
    id,
    title: `“${row.callTitle}”`,
    safeTitle: `“${row.callTitle}”`,
    href: `/calls/${row.callId}`,
    confidential: false,
    open,
    closedReason: open ? null : "The volunteer withdrew, so the conversation is closed.",
    members: membersAmong(
      [
        ...maintainers.map((m) => ({ userId: m.userId, role: "maintainer" as const })),
        { userId: row.volunteer, role: "volunteer" },
      ],
      settled,
    ),
    joinable: false,
    anonymousUserId: null,
  };
}

async function transferSubject(id: number, threadId: number | null, now: number): Promise<Subject | null> {
  const t = schema.transfers;
  const ts = schema.threadStates;
  const maintainersOf = verifiedMaintainersOf(
    sql`(SELECT sb_c.package_id FROM transfers sb_t JOIN calls sb_c ON sb_c.id = sb_t.call_id WHERE sb_t.id = ${id})`,
  );
  const joinedIn = db()
    .select({ userId: ts.userId })
    .from(ts)
    .where(and(eq(ts.threadId, threadId ?? 0), isNotNull(ts.joinedAt)));
  const [row, maintainers, joined, settled] = await Promise.all([
    db()
      .select({
        successor: t.successorUserId,
        roadie: t.roadieUserId,
        open: sql<number>`${openSubjectSql("transfer", t.id)}`,
        packageId: schema.calls.packageId,
        packageName: schema.packages.name,
      })
      .from(t)
      .innerJoin(schema.calls, eq(schema.calls.id, t.callId))
      .innerJoin(schema.packages, eq(schema.packages.id, schema.calls.packageId))
      .where(eq(t.id, id))
      .get(),
    maintainersOf.all(),
    threadId === null ? [] : joinedIn.all(),
    settle(
      "transfer",
      id,
      threadId,
      [
        sql`${maintainersOf}`,
        sql`(SELECT sb_t.successor_user_id FROM transfers sb_t WHERE sb_t.id = ${id})`,
        sql`(SELECT sb_t.roadie_user_id FROM transfers sb_t WHERE sb_t.id = ${id})`,
        ...(threadId === null ? [] : [sql`${joinedIn}`]),
      ],
      now,
    ),
  ]);
  if (!row) return null;
  const open = Boolean(row.open);
  return {
    type: "transfer",
    id,
    title: `the handover of ${row.packageName}`,
    safeTitle: `the handover of ${row.packageName}`,
    href: `/transfers/${id}`,
    confidential: false,
    open,
    closedReason: open ? null : "The handover was cancelled, so the conversation is closed.",
    members: membersAmong(
      [
        ...maintainers.map((m) => ({ userId: m.userId, role: "maintainer" as const })),
        { userId: row.successor, role: "successor" },
        { userId: row.roadie, role: "roadie" },
        ...joined.map((j) => ({ userId: j.userId, role: "working-group" as const })),
      ],
      settled,
    ),
    joinable: true,
    anonymousUserId: null,
  };
}

async function requestSubject(id: number, threadId: number | null, now: number): Promise<Subject | null> {
  const r = schema.specialRequests;
  const [row, settled] = await Promise.all([
    db()
      .select({
        title: r.title,
        confidential: r.confidential,
        open: sql<number>`${openSubjectSql("request", r.id)}`,
        filer: r.filedByUserId,
        assignee: r.assigneeUserId,
      })
      .from(r)
      .where(eq(r.id, id))
      .get(),
    settle(
      "request",
      id,
      threadId,
      [
        sql`(SELECT sb_r.filed_by_user_id FROM special_requests sb_r WHERE sb_r.id = ${id})`,
        sql`(SELECT sb_r.assignee_user_id FROM special_requests sb_r WHERE sb_r.id = ${id})`,
      ],
      now,
    ),
  ]);
  if (!row) return null;
  const open = Boolean(row.open);
  return {
    type: "request",
    id,
    title: `request #${id} “${row.title}”`,
    safeTitle: row.confidential ? "a confidential conversation" : `request #${id} “${row.title}”`,
    href: `/requests/${id}`,
    confidential: row.confidential,
    open,
    closedReason: open ? null : "The request is closed, so the conversation is closed.",
    members: membersAmong(
      [
        { userId: row.filer, role: "filer" },
        { userId: row.assignee, role: "expert" },
      ],
      settled,
    ),
    joinable: false,
    anonymousUserId: null,
  };
}

async function applicationSubject(id: number, threadId: number | null, now: number): Promise<Subject | null> {
  const a = schema.applications;
  const p = schema.programs;
  const o = schema.programOrganisers;
  const organisersOf = db()
    .select({ userId: o.userId })
    .from(o)
    .where(eq(o.programId, sql`(SELECT sb_a.program_id FROM applications sb_a WHERE sb_a.id = ${id})`));
  const [row, organisers, settled] = await Promise.all([
    db()
      .select({
        applicant: a.userId,
        status: a.status,
        open: sql<number>`${openSubjectSql("application", a.id)}`,
        decisionSentAt: a.decisionSentAt,
        programId: p.id,
        programName: p.name,
        slug: p.slug,
        anonymised: p.anonymisedReview,
      })
      .from(a)
      .innerJoin(p, eq(p.id, a.programId))
      .where(eq(a.id, id))
      .get(),
    organisersOf.all(),
    settle(
      "application",
      id,
      threadId,
      [sql`(SELECT sb_a.user_id FROM applications sb_a WHERE sb_a.id = ${id})`, sql`${organisersOf}`],
      now,
    ),
  ]);
  // A draft is the applicant's own until submitted: there is nobody to talk to yet.
  if (!row || row.status === "draft") return null;
  const open = Boolean(row.open);
  return {
    type: "application",
    id,
    title: `an application to ${row.programName}`,
    safeTitle: `an application to ${row.programName}`,
    href: `/programs/${row.slug}/review/${id}`,
    confidential: false,
    open,
    closedReason: open ? null : "The application was withdrawn, so the conversation is closed.",
    members: membersAmong(
      [
        { userId: row.applicant, role: "applicant" },
        ...organisers.map((r) => ({ userId: r.userId, role: "organiser" as const })),
      ],
      settled,
    ),
    joinable: false,
    anonymousUserId: row.anonymised && row.decisionSentAt === null ? row.applicant : null,
  };
}

/**
 * The subject of a thread (or of one about to be made) with its members now, or null when the
 * subject does not exist or has no conversation (a pending interest, a draft application).
 */
export function loadSubject(
  type: ThreadSubjectType,
  subjectId: number,
  threadId: number | null,
  now = Date.now(),
): Promise<Subject | null> {
  switch (type) {
    case "interest":
      return interestSubject(subjectId, threadId, now);
    case "transfer":
      return transferSubject(subjectId, threadId, now);
    case "request":
      return requestSubject(subjectId, threadId, now);
    case "application":
      return applicationSubject(subjectId, threadId, now);
  }
}

export const subjectOf = (thread: Pick<Thread, "id" | "subjectType" | "subjectId">, now = Date.now()) =>
  loadSubject(thread.subjectType, thread.subjectId, thread.id, now);

export const isMember = (subject: Subject, userId: number) => subject.members.some((m) => m.userId === userId);

/**
 * May this person join the thread (a working-group member on a transfer's thread, not in it yet)?
 * `workingGroup`: whether they hold a working-group stint now (powers.server.ts `hasRole`), asked
 * beside the subject rather than after it.
 */
export function mayJoin(subject: Subject, userId: number, workingGroup: boolean): boolean {
  return subject.joinable && !isMember(subject, userId) && workingGroup;
}
