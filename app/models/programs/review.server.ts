// Organisers' side of a programme: the application list with filters, rubric scores (each reviewer
// sees the others' only after giving their own), private comments, decisions sent exactly once,
// waitlist promotion and the CSV export.
import { createHash } from "node:crypto";
import { and, asc, eq, inArray, isNotNull, isNull, ne, sql } from "drizzle-orm";
import { db, schema } from "#app/utils/db.server.ts";
import { env } from "#app/utils/env.server.ts";
import { toCsv, type CsvValue } from "#app/utils/csv.ts";
import { sendBatch, type OutgoingEmail } from "#app/utils/email.server.ts";
import { auditEntry } from "#app/models/moderation/audit.server.ts";
import {
  getAnswers,
  listQuestions,
  listRoles,
  parseRubric,
  type RubricCriterion,
} from "#app/models/programs/programs.server.ts";
import { decisionEmail } from "#emails/programs-decision.tsx";
import type { Decision, Program } from "#db/schema.ts";

const a = schema.applications;
const s = schema.applicationScores;

export type ReviewFilter = {
  roleId?: number;
  /** submitted, withdrawn, undecided, accepted, waitlisted, rejected, declined */
  status?: string;
  projectId?: number;
  minScore?: number;
};

/** Weighted mean of the criteria, 1..5. */
export function weightedTotal(rubric: RubricCriterion[], scores: Record<string, number>): number {
  let sum = 0;
  let weights = 0;
  for (const c of rubric) {
    const v = scores[c.id];
    if (typeof v !== "number") continue;
    sum += v * c.weight;
    weights += c.weight;
  }
  return weights ? Math.round((sum / weights) * 100) / 100 : 0;
}

/**
 * The one rule for which applications an organiser reviews (sees, scores, comments on, decides,
 * exports, sends): submitted or withdrawn ones (drafts stay the applicant's) that are not their own
 * (an organiser who applies to their programme is an applicant there, and others review them).
 */
export function reviewableBy(programId: number, reviewerId: number) {
  return and(eq(a.programId, programId), inArray(a.status, ["submitted", "withdrawn"]), ne(a.userId, reviewerId))!;
}

/**
 * The applications organisers review: submitted and withdrawn ones (drafts stay private), never their own. The mean
 * score shows only where this reviewer has scored, and the score filter only uses those, so neither
 * the list nor the filter reveals the others' scores early.
 */
export async function listApplicationsForReview(programId: number, reviewerId: number, filter: ReviewFilter = {}) {
  const conditions = [reviewableBy(programId, reviewerId)];
  if (filter.roleId) conditions.push(eq(a.roleId, filter.roleId));
  switch (filter.status) {
    case "submitted":
      conditions.push(eq(a.status, "submitted"));
      break;
    case "withdrawn":
      conditions.push(eq(a.status, "withdrawn"));
      break;
    case "undecided":
      conditions.push(eq(a.status, "submitted"), isNull(a.decision));
      break;
    case "accepted":
    case "waitlisted":
    case "rejected":
      conditions.push(eq(a.decision, filter.status));
      break;
    case "declined":
      conditions.push(isNotNull(a.declinedAt));
      break;
  }
  if (filter.projectId)
    conditions.push(
      sql`EXISTS (SELECT 1 FROM json_each(${a.projectRanking}) WHERE json_each.value = ${filter.projectId})`,
    );

  const rows = await db()
    .select({
      id: a.id,
      status: a.status,
      decision: a.decision,
      decisionSentAt: a.decisionSentAt,
      declinedAt: a.declinedAt,
      submittedAt: a.submittedAt,
      projectRanking: a.projectRanking,
      roleName: schema.programRoles.name,
      roleId: a.roleId,
      login: schema.users.login,
      name: schema.users.name,
      myTotal: sql<
        number | null
      >`(SELECT ${s.total} FROM ${s} WHERE ${s.applicationId} = ${a.id} AND ${s.reviewerUserId} = ${reviewerId})`,
      meanTotal: sql<number | null>`(SELECT avg(${s.total}) FROM ${s} WHERE ${s.applicationId} = ${a.id})`,
      reviewCount: sql<number>`(SELECT count(*) FROM ${s} WHERE ${s.applicationId} = ${a.id})`,
    })
    .from(a)
    .innerJoin(schema.users, eq(schema.users.id, a.userId))
    .innerJoin(schema.programRoles, eq(schema.programRoles.id, a.roleId))
    .where(and(...conditions))
    .orderBy(asc(a.submittedAt), asc(a.id))
    .all();
  const visible = rows.map((r) => ({
    ...r,
    projectRanking: JSON.parse(r.projectRanking) as number[],
    // Hidden until this reviewer has scored.
    meanTotal: r.myTotal === null || r.meanTotal === null ? null : Math.round(r.meanTotal * 100) / 100,
  }));
  return filter.minScore ? visible.filter((r) => r.meanTotal !== null && r.meanTotal >= filter.minScore!) : visible;
}

export async function getApplicationForReview(programId: number, applicationId: number, reviewerId: number) {
  const row = await db()
    .select({
      application: a,
      login: schema.users.login,
      name: schema.users.name,
      userTimezone: schema.users.timezone,
      roleName: schema.programRoles.name,
    })
    .from(a)
    .innerJoin(schema.users, eq(schema.users.id, a.userId))
    .innerJoin(schema.programRoles, eq(schema.programRoles.id, a.roleId))
    .where(and(eq(a.id, applicationId), reviewableBy(programId, reviewerId)))
    .get();
  if (!row) return null;
  const [questions, answers, scores, comments] = await Promise.all([
    listQuestions(programId, { includeArchived: true }),
    getAnswers(applicationId),
    db()
      .select({ reviewerUserId: s.reviewerUserId, scores: s.scores, total: s.total, login: schema.users.login })
      .from(s)
      .innerJoin(schema.users, eq(schema.users.id, s.reviewerUserId))
      .where(eq(s.applicationId, applicationId))
      .orderBy(asc(schema.users.login))
      .all(),
    db()
      .select({
        id: schema.applicationComments.id,
        body: schema.applicationComments.body,
        createdAt: schema.applicationComments.createdAt,
        login: schema.users.login,
      })
      .from(schema.applicationComments)
      .leftJoin(schema.users, eq(schema.users.id, schema.applicationComments.authorUserId))
      .where(eq(schema.applicationComments.applicationId, applicationId))
      .orderBy(asc(schema.applicationComments.id))
      .all(),
  ]);
  const mine = scores.find((x) => x.reviewerUserId === reviewerId) ?? null;
  const parse = (x: (typeof scores)[number]) => ({
    login: x.login,
    total: x.total,
    scores: JSON.parse(x.scores) as Record<string, number>,
  });
  return {
    ...row,
    // Answers to questions removed since are kept: reviewers still see them, marked as removed.
    questions: questions.filter((q) => q.archivedAt === null || answers[q.id] !== undefined),
    answers,
    myScore: mine ? parse(mine) : null,
    otherScores: mine ? scores.filter((x) => x.reviewerUserId !== reviewerId).map(parse) : null,
    otherScoreCount: scores.filter((x) => x.reviewerUserId !== reviewerId).length,
    comments,
  };
}

export async function scoreApplication(
  program: Program,
  applicationId: number,
  reviewerId: number,
  scores: Record<string, number>,
  now = Date.now(),
) {
  const rubric = parseRubric(program);
  const clean: Record<string, number> = {};
  for (const c of rubric) {
    const v = scores[c.id];
    if (!Number.isInteger(v) || v! < 1 || v! > 5)
      return { ok: false as const, problems: { [c.id]: "Give a score from 1 to 5." } };
    clean[c.id] = v!;
  }
  const target = await db()
    .select({ id: a.id })
    .from(a)
    .where(and(eq(a.id, applicationId), reviewableBy(program.id, reviewerId)))
    .get();
  if (!target) throw new Response("Not found", { status: 404 });
  const total = weightedTotal(rubric, clean);
  await db()
    .insert(s)
    .values({
      applicationId,
      reviewerUserId: reviewerId,
      scores: JSON.stringify(clean),
      total,
      createdAt: now,
      updatedAt: now,
    })
    .onConflictDoUpdate({
      target: [s.applicationId, s.reviewerUserId],
      set: { scores: JSON.stringify(clean), total, updatedAt: now },
    });
  return { ok: true as const, total };
}

export async function addComment(
  programId: number,
  applicationId: number,
  authorUserId: number,
  body: string,
  now = Date.now(),
) {
  const target = await db()
    .select({ id: a.id })
    .from(a)
    .where(and(eq(a.id, applicationId), reviewableBy(programId, authorUserId)))
    .get();
  if (!target) throw new Response("Not found", { status: 404 });
  await db().insert(schema.applicationComments).values({ applicationId, authorUserId, body, createdAt: now });
}

/**
 * Records the organisers' decision. Nothing reaches the applicant until decisions are sent, and a
 * decision already sent cannot change (the applicant has been told).
 */
export async function setDecision(
  programId: number,
  applicationId: number,
  decision: Decision | null,
  actorUserId: number,
  now = Date.now(),
) {
  const target = await db()
    .select()
    .from(a)
    .where(and(eq(a.id, applicationId), reviewableBy(programId, actorUserId)))
    .get();
  if (!target) throw new Response("Not found", { status: 404 });
  if (target.decisionSentAt) return { ok: false as const, problem: "This decision was already sent to the applicant." };
  if (target.status === "withdrawn") return { ok: false as const, problem: "The applicant withdrew this application." };
  await db().batch([
    db()
      .update(a)
      .set({ decision, decidedByUserId: actorUserId, updatedAt: now })
      .where(and(eq(a.id, applicationId), isNull(a.decisionSentAt))),
    auditEntry(
      {
        actorUserId,
        action: "program.application.decide",
        objectType: "application",
        objectId: applicationId,
        detail: { decision },
      },
      now,
    ),
  ]);
  return { ok: true as const };
}

/**
 * Decisions made but not yet sent, i.e. what "Send decisions" would send now when `viewerId` presses
 * it. The viewer's own application is not among them: they learn their decision like any applicant.
 */
export async function pendingDecisions(programId: number, viewerId: number) {
  const rows = await db()
    .select({
      id: a.id,
      decision: a.decision,
      login: schema.users.login,
      name: schema.users.name,
      email: schema.users.email,
      userId: a.userId,
      roleName: schema.programRoles.name,
    })
    .from(a)
    .innerJoin(schema.users, eq(schema.users.id, a.userId))
    .innerJoin(schema.programRoles, eq(schema.programRoles.id, a.roleId))
    .where(
      and(
        reviewableBy(programId, viewerId),
        eq(a.status, "submitted"),
        isNotNull(a.decision),
        isNull(a.decisionSentAt),
      ),
    )
    .orderBy(asc(a.id))
    .all();
  const items = rows.map((r) => ({ ...r, decision: r.decision! }));
  // The preview's fingerprint: sending requires the same set the organiser looked at.
  const fingerprint = createHash("sha256")
    .update(items.map((i) => `${i.id}:${i.decision}`).join(","))
    .digest("hex")
    .slice(0, 32);
  return { items, fingerprint };
}

function decisionKey(applicationId: number, decision: Decision) {
  return `program-decision:${applicationId}:${decision}`;
}

function decisionMessage(
  program: Program,
  item: { name: string | null; login: string; roleName: string; decision: Decision },
  fromWaitlist = false,
) {
  const base = env().appUrl;
  return decisionEmail({
    name: item.name ?? item.login,
    programName: program.name,
    roleName: item.roleName,
    decision: item.decision,
    fromWaitlist,
    url: `${base}/me/applications`,
    appUrl: base,
  });
}

/**
 * Sends every pending decision email, once. Each email carries a key naming the application and
 * decision, so a second press, a retry or a rerun after a crash finds the delivery already recorded
 * and sends nothing again; `decision_sent_at` (set only for emails that went out) is the applicant-
 * visible record, and a run row records who pressed the button.
 */
export async function sendDecisions(program: Program, actorUserId: number, fingerprint: string, now = Date.now()) {
  const { items, fingerprint: current } = await pendingDecisions(program.id, actorUserId);
  if (items.length === 0) return { ok: true as const, sent: 0, failed: 0 };
  if (fingerprint !== current)
    return {
      ok: false as const,
      problem: "The decisions changed since you previewed them. Check the new preview and send again.",
    };
  const [run] = await db()
    .insert(schema.programDecisionRuns)
    .values({ programId: program.id, sentByUserId: actorUserId, applicationCount: items.length, startedAt: now })
    .returning();
  const withAddress = items.filter((i) => i.email);
  const emails: OutgoingEmail[] = withAddress.map((item) => ({
    to: item.email!,
    ...decisionMessage(program, item),
    template: "programs-decision",
    idempotencyKey: decisionKey(item.id, item.decision),
    userId: item.userId,
  }));
  const results = await sendBatch(emails);
  // People without an address still learn the decision on their applications page.
  const sentIds = [
    ...withAddress.filter((_, i) => results[i]?.ok).map((i) => i.id),
    ...items.filter((i) => !i.email).map((i) => i.id),
  ];
  if (sentIds.length)
    await db().batch([
      db()
        .update(a)
        .set({ decisionSentAt: now, updatedAt: now })
        .where(and(inArray(a.id, sentIds), isNull(a.decisionSentAt))),
      db()
        .update(schema.programDecisionRuns)
        .set({ finishedAt: Date.now() })
        .where(eq(schema.programDecisionRuns.id, run!.id)),
      auditEntry(
        {
          actorUserId,
          action: "program.decisions.send",
          objectType: "program",
          objectId: program.id,
          detail: { sent: sentIds.length, run: run!.id },
        },
        now,
      ),
    ]);
  return { ok: true as const, sent: sentIds.length, failed: items.length - sentIds.length };
}

/**
 * A place opened up in a role (someone declined): offer it to the top of that role's waitlist,
 * highest mean score first, then earliest submitted. The offer email goes out at once, once.
 */
export async function promoteFromWaitlist(programId: number, roleId: number, now = Date.now()) {
  const program = await db().select().from(schema.programs).where(eq(schema.programs.id, programId)).get();
  if (!program) return null;
  const [role] = (await listRoles(programId)).filter((r) => r.id === roleId);
  if (!role) return null;
  const [taken] = await db()
    .select({ n: sql<number>`count(*)` })
    .from(a)
    .where(
      and(
        eq(a.programId, programId),
        eq(a.roleId, roleId),
        eq(a.decision, "accepted"),
        eq(a.status, "submitted"),
        isNull(a.declinedAt),
      ),
    );
  if ((taken?.n ?? 0) >= role.capacity) return null;
  const next = await db()
    .select({
      id: a.id,
      userId: a.userId,
      login: schema.users.login,
      name: schema.users.name,
      email: schema.users.email,
    })
    .from(a)
    .innerJoin(schema.users, eq(schema.users.id, a.userId))
    .where(
      and(
        eq(a.programId, programId),
        eq(a.roleId, roleId),
        eq(a.decision, "waitlisted"),
        eq(a.status, "submitted"),
        isNotNull(a.decisionSentAt),
      ),
    )
    .orderBy(
      sql`(SELECT avg(${s.total}) FROM ${s} WHERE ${s.applicationId} = ${a.id}) DESC NULLS LAST`,
      asc(a.submittedAt),
      asc(a.id),
    )
    .limit(1)
    .get();
  if (!next) return null;
  await db().batch([
    db()
      .update(a)
      .set({ decision: "accepted", decisionSentAt: null, updatedAt: now })
      .where(and(eq(a.id, next.id), eq(a.decision, "waitlisted"))),
    auditEntry(
      { actorUserId: null, action: "program.waitlist.promote", objectType: "application", objectId: next.id },
      now,
    ),
  ]);
  let sent = !next.email;
  if (next.email) {
    const result = await sendBatch([
      {
        to: next.email,
        ...decisionMessage(program, { ...next, roleName: role.name, decision: "accepted" }, true),
        template: "programs-decision",
        idempotencyKey: decisionKey(next.id, "accepted"),
        userId: next.userId,
      },
    ]);
    sent = Boolean(result[0]?.ok);
  }
  // If the email failed, the offer stays pending and shows in the organisers' "send decisions".
  if (sent)
    await db()
      .update(a)
      .set({ decisionSentAt: now })
      .where(and(eq(a.id, next.id), isNull(a.decisionSentAt)));
  return { applicationId: next.id, sent };
}

/** Every submitted or withdrawn application with answers and scores, as CSV. */
export async function exportApplicationsCsv(program: Program, viewerId: number): Promise<string> {
  const rubric = parseRubric(program);
  const questions = await listQuestions(program.id, { includeArchived: true });
  const rows = await db()
    .select({
      application: a,
      login: schema.users.login,
      name: schema.users.name,
      roleName: schema.programRoles.name,
    })
    .from(a)
    .innerJoin(schema.users, eq(schema.users.id, a.userId))
    .innerJoin(schema.programRoles, eq(schema.programRoles.id, a.roleId))
    .where(reviewableBy(program.id, viewerId))
    .orderBy(asc(a.id))
    .all();
  const ids = rows.map((r) => r.application.id);
  const scores = ids.length ? await db().select().from(s).where(inArray(s.applicationId, ids)).all() : [];
  const answers = ids.length
    ? await db()
        .select()
        .from(schema.applicationAnswers)
        .where(inArray(schema.applicationAnswers.applicationId, ids))
        .all()
    : [];
  const projects = await db()
    .select({ id: schema.mentoringProjects.id, title: schema.mentoringProjects.title })
    .from(schema.mentoringProjects)
    .where(eq(schema.mentoringProjects.programId, program.id))
    .all();
  const header = [
    "application_id",
    "login",
    "name",
    "role",
    "status",
    "decision",
    "decision_sent",
    "submitted_at",
    "reviews",
    "mean_score",
    ...rubric.map((c) => `score_${c.id}`),
    "project_preferences",
    ...questions.map((q) => q.label + (q.archivedAt ? " (removed)" : "")),
  ];
  const table: CsvValue[][] = [header];
  for (const r of rows) {
    const mine = scores.filter((x) => x.applicationId === r.application.id);
    const parsed = mine.map((x) => JSON.parse(x.scores) as Record<string, number>);
    const mean = (values: number[]) =>
      values.length ? Math.round((values.reduce((t, v) => t + v, 0) / values.length) * 100) / 100 : "";
    const ranking = JSON.parse(r.application.projectRanking) as number[];
    const answerOf = (qid: number) =>
      answers.find((x) => x.applicationId === r.application.id && x.questionId === qid)?.value ?? "";
    table.push([
      r.application.id,
      r.login,
      r.name ?? "",
      r.roleName,
      r.application.declinedAt ? "declined" : r.application.status,
      r.application.decision ?? "",
      r.application.decisionSentAt ? new Date(r.application.decisionSentAt).toISOString() : "",
      r.application.submittedAt ? new Date(r.application.submittedAt).toISOString() : "",
      mine.length,
      mean(mine.map((x) => x.total)),
      ...rubric.map((c) => mean(parsed.map((x) => x[c.id]).filter((v): v is number => typeof v === "number"))),
      ranking.map((id) => projects.find((pr) => pr.id === id)?.title ?? `#${id}`).join(" > "),
      ...questions.map((q) => answerOf(q.id)),
    ]);
  }
  return toCsv(table);
}

/** Accepted people of a programme, for the alumni form. */
export function listAccepted(programId: number) {
  return db()
    .select({ id: a.id, login: schema.users.login, roleName: schema.programRoles.name, userId: a.userId })
    .from(a)
    .innerJoin(schema.users, eq(schema.users.id, a.userId))
    .innerJoin(schema.programRoles, eq(schema.programRoles.id, a.roleId))
    .where(
      and(
        eq(a.programId, programId),
        eq(a.decision, "accepted"),
        eq(a.status, "submitted"),
        isNotNull(a.decisionSentAt),
        isNull(a.declinedAt),
      ),
    )
    .orderBy(asc(schema.programRoles.position), asc(schema.users.login))
    .all();
}
