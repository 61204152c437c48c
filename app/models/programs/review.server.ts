// Organisers' review of a programme's applications: the list with filters, one application with its
// answers, rubric scores (each reviewer sees the others' only after giving their own) and private
// comments. `reviewableBy` is the one rule for which applications an organiser may touch; decisions,
// the waitlist and the CSV export build on it.
import { and, asc, eq, inArray, isNotNull, isNull, ne, sql } from "drizzle-orm";
import { db, schema } from "#app/utils/db.server.ts";
import { notFound } from "#app/utils/http.server.ts";
import { getAnswers } from "#app/models/programs/answers.server.ts";
import { listQuestions } from "#app/models/programs/questions.server.ts";
import type { Program, RubricCriterion } from "#db/schema.ts";

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
  const parse = (x: (typeof scores)[number]) => ({ login: x.login, total: x.total, scores: x.scores });
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
  const rubric = program.rubric;
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
  if (!target) throw notFound();
  const total = weightedTotal(rubric, clean);
  await db()
    .insert(s)
    .values({
      applicationId,
      reviewerUserId: reviewerId,
      scores: clean,
      total,
      createdAt: now,
      updatedAt: now,
    })
    .onConflictDoUpdate({
      target: [s.applicationId, s.reviewerUserId],
      set: { scores: clean, total, updatedAt: now },
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
  if (!target) throw notFound();
  await db().insert(schema.applicationComments).values({ applicationId, authorUserId, body, createdAt: now });
}
