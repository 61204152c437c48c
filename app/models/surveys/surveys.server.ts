// Maintainer surveys: writing them (the working group), their window, and who may see which. The
// questions are fixed once someone has answered, so every answer fits the question it answers; the
// window may be moved until the survey closes, and a closed survey never reopens (its results are
// final and go into the month's report).
import { and, asc, desc, eq, gt, lte, sql } from "drizzle-orm";
import { db, schema } from "#app/utils/db.server.ts";
import { invariantResponse, notFound, parseId } from "#app/utils/http.server.ts";
import { DAY_MS } from "#app/utils/dates.ts";
import { auditEntry } from "#app/models/moderation/audit.server.ts";
import { signInOrNotFound, getCurrentUser } from "#app/models/people/auth.server.ts";
import { isWorkingGroupMember, requireWorkingGroup } from "#app/models/people/roadies.server.ts";
import type { QuestionInput, SurveyState } from "#app/models/surveys/forms.ts";
import type { Survey } from "#db/schema.ts";

const s = schema.surveys;
const q = schema.surveyQuestions;
const r = schema.surveyResponses;

export function surveyState(survey: Pick<Survey, "opensAt" | "closesAt">, now = Date.now()): SurveyState {
  if (now < survey.opensAt) return "scheduled";
  return now < survey.closesAt ? "open" : "closed";
}

/** The window from whole UTC days: from the start of `opensOn` to the end of `closesOn`. */
export function windowOf(opensOn: string, closesOn: string) {
  return { opensAt: Date.parse(`${opensOn}T00:00:00Z`), closesAt: Date.parse(`${closesOn}T00:00:00Z`) + DAY_MS };
}

/** The days a window's form shows: the inverse of windowOf. */
export function windowDays(survey: Pick<Survey, "opensAt" | "closesAt">) {
  const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return { opensOn: iso(survey.opensAt), closesOn: iso(survey.closesAt - DAY_MS) };
}

/** Working-group members (and admins) write surveys; the rule of who that is lives in powers.server.ts. */
export async function canWriteSurveys(user: { id: number; isAdmin: boolean } | null, now = Date.now()) {
  return Boolean(user && (user.isAdmin || (await isWorkingGroupMember(user.id, now))));
}

export class SurveyInputError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** Surveys a person may see, newest window first: open and closed ones; not-yet-open ones for the working group. */
export async function listSurveys(writer: boolean, now = Date.now()) {
  const [rows, responses, questions] = await Promise.all([
    db()
      .select()
      .from(s)
      .where(writer ? undefined : lte(s.opensAt, now))
      .orderBy(desc(s.closesAt), desc(s.id))
      .all(),
    db()
      .select({ id: r.surveyId, n: sql<number>`count(*)` })
      .from(r)
      .groupBy(r.surveyId)
      .all(),
    db()
      .select({ id: q.surveyId, n: sql<number>`count(*)` })
      .from(q)
      .groupBy(q.surveyId)
      .all(),
  ]);
  const count = (list: { id: number; n: number }[], id: number) => Number(list.find((x) => x.id === id)?.n ?? 0);
  return rows.map((survey) => ({
    ...survey,
    state: surveyState(survey, now),
    responses: count(responses, survey.id),
    questions: count(questions, survey.id),
  }));
}

export function listQuestions(surveyId: number) {
  return db().select().from(q).where(eq(q.surveyId, surveyId)).orderBy(asc(q.position), asc(q.id)).all();
}

export async function countResponses(surveyId: number): Promise<number> {
  const row = await db()
    .select({ n: sql<number>`count(*)` })
    .from(r)
    .where(eq(r.surveyId, surveyId))
    .get();
  return Number(row?.n ?? 0);
}

/**
 * The survey named in the URL, if this viewer may see it: everyone once it has opened, only the
 * working group before. Anyone else gets the answer of a missing id (signInOrNotFound).
 */
export async function requireVisibleSurvey(request: Request, rawId: string | undefined, now = Date.now()) {
  // The survey and the viewer side by side: one round trip (db.server.ts).
  const [survey, user] = await Promise.all([
    db()
      .select()
      .from(s)
      .where(eq(s.id, parseId(rawId)))
      .get(),
    getCurrentUser(request),
  ]);
  const writer = await canWriteSurveys(user, now);
  if (!survey || (surveyState(survey, now) === "scheduled" && !writer)) return signInOrNotFound(request);
  return { survey, user, writer, state: surveyState(survey, now) };
}

/** The survey to edit, for a working-group member; 403 for anyone else, 404 for a missing id. */
export async function requireSurveyWriter(request: Request, rawId: string | undefined, now = Date.now()) {
  const user = await requireWorkingGroup(request, now);
  const survey = await db()
    .select()
    .from(s)
    .where(eq(s.id, parseId(rawId)))
    .get();
  if (!survey) throw notFound();
  return { user, survey };
}

type SurveyInput = { title: string; intro: string; opensAt: number; closesAt: number };

export async function createSurvey(input: SurveyInput, actorUserId: number, now = Date.now()) {
  if (input.closesAt <= now) throw new SurveyInputError("closesOn", "Choose a closing day that has not passed.");
  const [row] = await db()
    .insert(s)
    .values({ ...input, createdByUserId: actorUserId, createdAt: now, updatedAt: now })
    .returning();
  await auditEntry({ actorUserId, action: "survey.create", objectType: "survey", objectId: row!.id }, now);
  return row!;
}

/** Title, introduction and window. Once open, the opening day is fixed; a closed survey is final. */
export async function updateSurvey(survey: Survey, input: SurveyInput, actorUserId: number, now = Date.now()) {
  const state = surveyState(survey, now);
  invariantResponse(state !== "closed", "This survey has closed: its answers and results are final.", { status: 409 });
  if (state === "open" && input.opensAt !== survey.opensAt)
    throw new SurveyInputError("opensOn", "The survey is already open: its opening day cannot change.");
  if (input.closesAt <= now) throw new SurveyInputError("closesOn", "Choose a closing day that has not passed.");
  await db().batch([
    db()
      .update(s)
      .set({ ...input, updatedAt: now })
      .where(eq(s.id, survey.id)),
    auditEntry({ actorUserId, action: "survey.update", objectType: "survey", objectId: survey.id }, now),
  ]);
}

/** Ends the window now: answers are final and the results show. */
export async function closeSurveyNow(survey: Survey, actorUserId: number, now = Date.now()) {
  invariantResponse(surveyState(survey, now) === "open", "Only an open survey can be closed.", { status: 409 });
  await db().batch([
    db()
      .update(s)
      .set({ closesAt: now, updatedAt: now })
      .where(and(eq(s.id, survey.id), gt(s.closesAt, now))),
    auditEntry({ actorUserId, action: "survey.close", objectType: "survey", objectId: survey.id }, now),
  ]);
}

/** Deletes a survey nobody has answered yet. */
export async function deleteSurvey(survey: Survey, actorUserId: number, now = Date.now()) {
  invariantResponse(
    (await countResponses(survey.id)) === 0,
    "People have answered this survey: it cannot be deleted.",
    {
      status: 409,
    },
  );
  await db().batch([
    db().delete(s).where(eq(s.id, survey.id)),
    auditEntry({ actorUserId, action: "survey.delete", objectType: "survey", objectId: survey.id }, now),
  ]);
}

async function assertQuestionsEditable(survey: Survey, now: number) {
  invariantResponse(surveyState(survey, now) !== "closed", "This survey has closed: its questions are final.", {
    status: 409,
  });
  invariantResponse(
    (await countResponses(survey.id)) === 0,
    "People have answered already: the questions are fixed so that every answer fits its question.",
    { status: 409 },
  );
}

export async function saveQuestion(
  survey: Survey,
  questionId: number | undefined,
  input: QuestionInput,
  actorUserId: number,
  now = Date.now(),
) {
  await assertQuestionsEditable(survey, now);
  if (questionId) {
    const updated = await db()
      .update(q)
      .set(input)
      .where(and(eq(q.id, questionId), eq(q.surveyId, survey.id)))
      .returning({ id: q.id });
    if (!updated.length) throw notFound();
  } else {
    const last = await db()
      .select({ position: sql<number>`coalesce(max(${q.position}), -1)` })
      .from(q)
      .where(eq(q.surveyId, survey.id))
      .get();
    await db()
      .insert(q)
      .values({ ...input, surveyId: survey.id, position: Number(last?.position ?? -1) + 1 });
  }
  await auditEntry({ actorUserId, action: "survey.question.save", objectType: "survey", objectId: survey.id }, now);
}

export async function removeQuestion(survey: Survey, questionId: number, actorUserId: number, now = Date.now()) {
  await assertQuestionsEditable(survey, now);
  await db().batch([
    db()
      .delete(q)
      .where(and(eq(q.id, questionId), eq(q.surveyId, survey.id))),
    auditEntry(
      {
        actorUserId,
        action: "survey.question.remove",
        objectType: "survey",
        objectId: survey.id,
        detail: { questionId },
      },
      now,
    ),
  ]);
}

/** Swaps a question with its neighbour above or below. */
export async function moveQuestion(survey: Survey, questionId: number, direction: "up" | "down", now = Date.now()) {
  await assertQuestionsEditable(survey, now);
  const questions = await listQuestions(survey.id);
  const i = questions.findIndex((x) => x.id === questionId);
  if (i < 0) throw notFound();
  const j = direction === "up" ? i - 1 : i + 1;
  const other = questions[j];
  if (!other) return;
  // Positions are renumbered in order, so a swap never leaves two questions at the same place.
  const order = questions.map((x) => x.id);
  [order[i], order[j]] = [order[j]!, order[i]!];
  await db().batch(
    order.map((id, position) => db().update(q).set({ position }).where(eq(q.id, id))) as [never, ...never[]],
  );
}
