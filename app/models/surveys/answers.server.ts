// Answering a maintainer survey: who may (a verified maintainer of at least one package, not
// suspended), once per survey, changed at will until the survey closes.
import { and, eq, sql } from "drizzle-orm";
import { db, schema } from "#app/utils/db.server.ts";
import { invariantResponse } from "#app/utils/http.server.ts";
import { lengthOf } from "#app/utils/form-text.ts";
import { maintainerOfAnySql } from "#app/models/packages/maintainers.server.ts";
import { notSuspendedSql } from "#app/models/people/suspension.server.ts";
import { surveyState } from "#app/models/surveys/surveys.server.ts";
import { FREE_TEXT_MAX, type AnswerValue } from "#app/models/surveys/forms.ts";
import type { Survey, SurveyQuestion } from "#db/schema.ts";

const r = schema.surveyResponses;
const a = schema.surveyAnswers;
const u = schema.users;

/** SQL: the user may answer maintainer surveys now. */
export const surveyRespondentSql = (userId: Parameters<typeof maintainerOfAnySql>[0]) =>
  sql`(${maintainerOfAnySql(userId)} AND ${notSuspendedSql(userId)})`;

export async function mayAnswerSurveys(userId: number): Promise<boolean> {
  const row = await db()
    .select({ id: u.id })
    .from(u)
    .where(and(eq(u.id, userId), surveyRespondentSql(u.id)))
    .get();
  return Boolean(row);
}

/** The ids of the surveys the person has answered. */
export async function surveysAnsweredBy(userId: number): Promise<number[]> {
  const rows = await db().select({ id: r.surveyId }).from(r).where(eq(r.userId, userId)).all();
  return rows.map((row) => row.id);
}

export type MyResponse = { submittedAt: number; updatedAt: number; answers: Record<number, AnswerValue> };

/** The person's own answers to a survey, or null before they answer. */
export async function myResponse(surveyId: number, userId: number): Promise<MyResponse | null> {
  // The response and its answers side by side (one round trip): the answers found through it.
  const [response, rows] = await Promise.all([
    db()
      .select()
      .from(r)
      .where(and(eq(r.surveyId, surveyId), eq(r.userId, userId)))
      .get(),
    db()
      .select({ questionId: a.questionId, choices: a.choices, scale: a.scale, text: a.text })
      .from(a)
      .innerJoin(r, eq(r.id, a.responseId))
      .where(and(eq(r.surveyId, surveyId), eq(r.userId, userId)))
      .all(),
  ]);
  if (!response) return null;
  const answers: Record<number, AnswerValue> = {};
  for (const row of rows) answers[row.questionId] = valueOf(row);
  return { submittedAt: response.submittedAt, updatedAt: response.updatedAt, answers };
}

export function valueOf(row: { choices: string[]; scale: number | null; text: string | null }): AnswerValue {
  if (row.scale !== null) return { scale: row.scale };
  if (row.text !== null) return { text: row.text };
  return { choices: row.choices };
}

/** What is wrong with these answers, by question id; empty when they can be saved. */
export function checkAnswers(questions: SurveyQuestion[], answers: Record<number, AnswerValue>) {
  const problems: Record<number, string> = {};
  for (const question of questions) {
    const answer = answers[question.id];
    if (!answer) {
      if (question.required) problems[question.id] = "Answer this question: it is required.";
      continue;
    }
    if (question.kind === "single_choice" || question.kind === "multiple_choice") {
      const chosen = "choices" in answer ? answer.choices : [];
      if (!chosen.length || chosen.some((c) => !question.options.includes(c)))
        problems[question.id] = "Choose from the options given.";
      else if (question.kind === "single_choice" && chosen.length > 1) problems[question.id] = "Choose one option.";
    } else if (question.kind === "scale") {
      if (!("scale" in answer) || !Number.isInteger(answer.scale) || answer.scale < 1 || answer.scale > 5)
        problems[question.id] = "Choose a point from 1 to 5.";
    } else {
      const text = "text" in answer ? answer.text : "";
      if (lengthOf(text) > FREE_TEXT_MAX)
        problems[question.id] =
          `At most ${FREE_TEXT_MAX} characters: this has ${lengthOf(text)}. Shorten it by ${lengthOf(text) - FREE_TEXT_MAX}.`;
    }
  }
  return problems;
}

/**
 * Saves the person's answers: the first time creates their one response, later times replace its
 * answers. Refused (409) outside the window, 403 for someone who is not a verified maintainer.
 * @returns the problems by question id (nothing was saved), or null when saved.
 */
export async function saveResponse(
  survey: Survey,
  questions: SurveyQuestion[],
  userId: number,
  answers: Record<number, AnswerValue>,
  now = Date.now(),
): Promise<Record<number, string> | null> {
  invariantResponse(await mayAnswerSurveys(userId), "Only verified maintainers of a package answer this survey.", {
    status: 403,
  });
  const state = surveyState(survey, now);
  invariantResponse(
    state === "open",
    state === "closed" ? "This survey has closed: answers can no longer change." : "This survey is not open yet.",
    { status: 409 },
  );
  const problems = checkAnswers(questions, answers);
  if (Object.keys(problems).length) return problems;
  // One response per person and survey (unique index): answering again updates it.
  const [response] = await db()
    .insert(r)
    .values({ surveyId: survey.id, userId, submittedAt: now, updatedAt: now })
    .onConflictDoUpdate({ target: [r.surveyId, r.userId], set: { updatedAt: now } })
    .returning({ id: r.id });
  const rows = questions
    .filter((question) => answers[question.id])
    .map((question) => {
      const answer = answers[question.id]!;
      return {
        responseId: response!.id,
        questionId: question.id,
        choices: "choices" in answer ? answer.choices : [],
        scale: "scale" in answer ? answer.scale : null,
        text: "text" in answer ? answer.text : null,
      };
    });
  await db().batch([
    db().delete(a).where(eq(a.responseId, response!.id)),
    ...(rows.length ? [db().insert(a).values(rows)] : []),
  ]);
  return null;
}
