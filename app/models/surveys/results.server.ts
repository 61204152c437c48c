// A survey's results, in aggregate only: a choice or scale question's figures are shown only once
// the survey has closed (so nobody can watch them move as one person answers) and only when at
// least MIN_GROUP people answered it; there is no breakdown by anything, so no smaller group ever
// shows. Free-text answers are read by admins only, without names, in an order that is not the
// order they came in. The CSV for admins carries no identity either (docs/ecosystem.md says why).
import { createHash } from "node:crypto";
import { and, asc, desc, eq, gte, lt, lte } from "drizzle-orm";
import { db, schema } from "#app/utils/db.server.ts";
import { listQuestions, surveyState } from "#app/models/surveys/surveys.server.ts";
import { valueOf } from "#app/models/surveys/answers.server.ts";
import { MIN_GROUP, type OptionFigure, type QuestionResult } from "#app/models/surveys/forms.ts";
import type { CsvValue } from "#app/utils/csv.ts";
import type { Survey, SurveyQuestion } from "#db/schema.ts";

const r = schema.surveyResponses;
const a = schema.surveyAnswers;
const s = schema.surveys;

export type SurveyResults = { responses: number; questions: QuestionResult[] };

/** A stable order that is not the order the responses came in. */
const shuffleKey = (surveyId: number, responseId: number) =>
  createHash("sha256").update(`survey:${surveyId}:response:${responseId}`).digest("hex");

async function answersOf(surveyId: number) {
  const rows = await db()
    .select({ responseId: a.responseId, questionId: a.questionId, choices: a.choices, scale: a.scale, text: a.text })
    .from(a)
    .innerJoin(r, eq(r.id, a.responseId))
    .where(eq(r.surveyId, surveyId))
    .all();
  return rows.sort((x, y) => shuffleKey(surveyId, x.responseId).localeCompare(shuffleKey(surveyId, y.responseId)));
}

const round1 = (n: number) => Math.round(n * 10) / 10;

/** The figures of one question from its answers, before any threshold. */
function figuresOf(question: SurveyQuestion, values: ReturnType<typeof valueOf>[]): OptionFigure[] {
  const n = values.length;
  const labels = question.kind === "scale" ? ["1", "2", "3", "4", "5"] : question.options;
  return labels.map((label, i) => {
    const count = values.filter((v) =>
      question.kind === "scale" ? "scale" in v && v.scale === i + 1 : "choices" in v && v.choices.includes(label),
    ).length;
    return { label, count, share: n ? round1((count / n) * 100) : 0 };
  });
}

/**
 * The results of a survey as `viewer` may see them. Before the survey closes there are none, only
 * the number of responses. `admin` adds the free-text answers.
 */
export async function surveyResults(
  survey: Survey,
  { admin }: { admin: boolean },
  now = Date.now(),
): Promise<SurveyResults | null> {
  if (surveyState(survey, now) !== "closed") return null;
  const [questions, answers, responses] = await Promise.all([
    listQuestions(survey.id),
    answersOf(survey.id),
    db().select({ id: r.id }).from(r).where(eq(r.surveyId, survey.id)).all(),
  ]);
  return {
    responses: responses.length,
    questions: questions.map((question) => {
      const values = answers.filter((x) => x.questionId === question.id).map(valueOf);
      const answered = values.length;
      const enough = answered >= MIN_GROUP;
      const countable = question.kind !== "free_text";
      const scale = values.flatMap((v) => ("scale" in v ? [v.scale] : []));
      return {
        id: question.id,
        prompt: question.prompt,
        kind: question.kind,
        scaleLow: question.scaleLow,
        scaleHigh: question.scaleHigh,
        answered,
        figures: countable && enough ? figuresOf(question, values) : null,
        mean:
          question.kind === "scale" && enough && scale.length
            ? round1(scale.reduce((x, y) => x + y, 0) / scale.length)
            : null,
        texts: question.kind === "free_text" && admin ? values.flatMap((v) => ("text" in v ? [v.text] : [])) : null,
      };
    }),
  };
}

/** The public results of the surveys that closed between `start` and `end` (for a monthly report). */
export async function surveysClosedBetween(start: number, end: number, now = Date.now()) {
  const closed = await db()
    .select()
    .from(s)
    .where(and(gte(s.closesAt, start), lt(s.closesAt, end), lte(s.closesAt, now)))
    .orderBy(asc(s.closesAt), asc(s.id))
    .all();
  // Every survey's results side by side: one round trip (db.server.ts).
  return Promise.all(
    closed.map(async (survey) => {
      const results = (await surveyResults(survey, { admin: false }, now))!;
      return { id: survey.id, title: survey.title, closesAt: survey.closesAt, ...results };
    }),
  );
}

export type ReportedSurvey = Awaited<ReturnType<typeof surveysClosedBetween>>[number];

/** For the ecosystem review: the survey open now (if any) and the latest closed one's public results. */
export async function surveysForReview(now = Date.now()) {
  // Side by side: one round trip (db.server.ts).
  const [[open], [latest]] = await Promise.all([
    db()
      .select({ id: s.id, title: s.title, closesAt: s.closesAt })
      .from(s)
      .where(and(lte(s.opensAt, now), gte(s.closesAt, now + 1)))
      .orderBy(asc(s.closesAt))
      .limit(1)
      .all(),
    db().select().from(s).where(lte(s.closesAt, now)).orderBy(desc(s.closesAt)).limit(1).all(),
  ]);
  const results = latest ? await surveyResults(latest, { admin: false }, now) : null;
  return {
    open: open ?? null,
    latest: latest && results ? { id: latest.id, title: latest.title, closesAt: latest.closesAt, ...results } : null,
  };
}

export type SurveysForReview = Awaited<ReturnType<typeof surveysForReview>>;

/**
 * Every response as a row, for admins: a response number (in an order unrelated to when or by whom
 * it was given) and one column per question; no name, login or time.
 */
export async function surveyCsvRows(survey: Survey): Promise<CsvValue[][]> {
  const [questions, answers] = await Promise.all([listQuestions(survey.id), answersOf(survey.id)]);
  const responseIds = await db().select({ id: r.id }).from(r).where(eq(r.surveyId, survey.id)).all();
  const ordered = responseIds
    .map((x) => x.id)
    .sort((x, y) => shuffleKey(survey.id, x).localeCompare(shuffleKey(survey.id, y)));
  const rows: CsvValue[][] = [["response", ...questions.map((question) => question.prompt)]];
  ordered.forEach((responseId, i) => {
    const mine = answers.filter((x) => x.responseId === responseId);
    rows.push([
      i + 1,
      ...questions.map((question) => {
        const answer = mine.find((x) => x.questionId === question.id);
        if (!answer) return "";
        const value = valueOf(answer);
        return "scale" in value ? value.scale : "text" in value ? value.text : value.choices.join("; ");
      }),
    ]);
  });
  return rows;
}
