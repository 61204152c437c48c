// Organisers' review of a programme's applications: the list with filters, one application with its
// answers, rubric scores and private comments. Three rules live here and every path (review page,
// list, CSV export, decisions preview) goes through them:
// - `reviewableBy`: which applications an organiser may touch (never their own, never drafts);
// - `canSeeOthersScores`: others' scores and means only once the viewer has scored, or the decision
//   was sent (blind review);
// - `applicantIdentity`: with anonymised review on, names, logins and links stay hidden until the
//   decision is sent.
import { and, asc, eq, inArray, isNotNull, isNull, ne, sql } from "drizzle-orm";
import { db, schema } from "#app/utils/db.server.ts";
import { notFound } from "#app/utils/http.server.ts";
import { auditEntry } from "#app/models/moderation/audit.server.ts";
import { getAnswers } from "#app/models/programs/answers.server.ts";
import { listQuestions } from "#app/models/programs/questions.server.ts";
import { memberThreadIdSql } from "#app/models/conversations/threads.server.ts";
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
 * Blind review, the one rule: a reviewer sees the other reviewers' scores of an application (each
 * score, the means, the count-weighted filters) only once they have scored it themselves, or once
 * its decision was sent to the applicant (the review of it is over). Before that they see at most
 * how many others scored.
 */
export function canSeeOthersScores(
  viewer: { hasScored: boolean },
  application: { decisionSentAt: number | null },
): boolean {
  return viewer.hasScored || application.decisionSentAt !== null;
}

/** What reviewers see of the applicant: the real name and login, or a label under anonymised review. */
export type ApplicantIdentity = { anonymised: boolean; name: string; login: string | null };

/**
 * Anonymised review (a programme setting): until an application's decision is sent, reviewers see
 * "Applicant 12" instead of the name and login, and links in the answers are masked.
 */
export function applicantIdentity(
  program: Pick<Program, "anonymisedReview">,
  application: { id: number; decisionSentAt: number | null },
  person: { name: string | null; login: string },
): ApplicantIdentity {
  if (program.anonymisedReview && application.decisionSentAt === null)
    return { anonymised: true, name: `Applicant ${application.id}`, login: null };
  return { anonymised: false, name: person.name ?? person.login, login: person.login };
}

const LINK = /\b(?:https?:\/\/|www\.)\S+|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|org|net|io|dev|me)\/\S*/gi;

function escapeRegExp(text: string) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * An answer as an anonymised reviewer reads it: links, the applicant's login (also as @login) and
 * name replaced by "[hidden]". Unchanged when the identity is not anonymised.
 */
export function maskAnswer<T extends string | string[]>(
  value: T,
  identity: ApplicantIdentity,
  person: { name: string | null; login: string },
): T {
  if (!identity.anonymised) return value;
  const name = person.name ?? "";
  // The whole name first, then each part of it ("Zelda Quimby", "Zelda", "Quimby").
  const words = [person.login, name, ...name.split(/\s+/)]
    .filter((w) => w.trim().length >= 3)
    .sort((x, y) => y.length - x.length)
    .map(escapeRegExp);
  const named = words.length ? new RegExp(`@?\\b(?:${words.join("|")})\\b`, "gi") : null;
  const mask = (text: string) => {
    const noLinks = text.replace(LINK, "[link hidden]");
    return named ? noLinks.replace(named, "[hidden]") : noLinks;
  };
  return (Array.isArray(value) ? value.map(mask) : mask(value)) as T;
}

/** Organisers switch anonymised review on or off (audited). */
export async function setAnonymisedReview(program: Program, on: boolean, actorUserId: number, now = Date.now()) {
  await db().batch([
    db()
      .update(schema.programs)
      .set({ anonymisedReview: on, updatedAt: now })
      .where(eq(schema.programs.id, program.id)),
    auditEntry(
      {
        actorUserId,
        action: "program.review.anonymised",
        objectType: "program",
        objectId: program.id,
        detail: { on },
      },
      now,
    ),
  ]);
}

/**
 * The applications organisers review: submitted and withdrawn ones (drafts stay private), never their own. The mean
 * score shows only where this reviewer has scored, and the score filter only uses those, so neither
 * the list nor the filter reveals the others' scores early.
 */
export async function listApplicationsForReview(program: Program, reviewerId: number, filter: ReviewFilter = {}) {
  const programId = program.id;
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
  const visible = rows.map(({ login, name, ...r }) => {
    const seeOthers = canSeeOthersScores({ hasScored: r.myTotal !== null }, r);
    return {
      ...r,
      applicant: applicantIdentity(program, r, { login, name }),
      meanTotal: !seeOthers || r.meanTotal === null ? null : Math.round(r.meanTotal * 100) / 100,
      reviewCount: seeOthers ? r.reviewCount : null,
    };
  });
  return filter.minScore ? visible.filter((r) => r.meanTotal !== null && r.meanTotal >= filter.minScore!) : visible;
}

/**
 * One application as this reviewer sees it, or null when it is not theirs to review. Its parts are
 * asked beside the application itself (one round trip): they are only returned once the application
 * proved reviewable. `threadHref`: the organisers' conversation with the applicant, for a reviewer
 * in it (not an admin who holds no organiser seat).
 */
export async function getApplicationForReview(
  program: Program,
  applicationId: number,
  reviewerId: number,
  now = Date.now(),
) {
  const programId = program.id;
  const [row, questions, answers, scores, comments] = await Promise.all([
    db()
      .select({
        application: a,
        login: schema.users.login,
        name: schema.users.name,
        userTimezone: schema.users.timezone,
        roleName: schema.programRoles.name,
        threadId: memberThreadIdSql("application", a.id, reviewerId, now),
      })
      .from(a)
      .innerJoin(schema.users, eq(schema.users.id, a.userId))
      .innerJoin(schema.programRoles, eq(schema.programRoles.id, a.roleId))
      .where(and(eq(a.id, applicationId), reviewableBy(programId, reviewerId)))
      .get(),
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
  if (!row) return null;
  const mine = scores.find((x) => x.reviewerUserId === reviewerId) ?? null;
  const parse = (x: (typeof scores)[number]) => ({ login: x.login, total: x.total, scores: x.scores });
  const seeOthers = canSeeOthersScores({ hasScored: mine !== null }, row.application);
  const { login, name, threadId, ...rest } = row;
  // The thread was made when the application was submitted.
  const threadHref = threadId ? `/threads/${threadId}` : null;
  const person = { login, name };
  const applicant = applicantIdentity(program, row.application, person);
  return {
    ...rest,
    applicant,
    // Answers to questions removed since are kept: reviewers still see them, marked as removed.
    questions: questions.filter((q) => q.archivedAt === null || answers[q.id] !== undefined),
    answers: Object.fromEntries(
      Object.entries(answers).map(([id, value]) => [id, maskAnswer(value, applicant, person)]),
    ) as typeof answers,
    myScore: mine ? parse(mine) : null,
    otherScores: seeOthers ? scores.filter((x) => x.reviewerUserId !== reviewerId).map(parse) : null,
    otherScoreCount: scores.filter((x) => x.reviewerUserId !== reviewerId).length,
    comments,
    threadHref,
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
