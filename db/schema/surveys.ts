// The maintainer survey: the working group writes a survey and opens it for a window; verified
// maintainers answer once per survey and may change their answers until it closes. Results are
// shown in aggregate only (app/models/surveys/results.server.ts).
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { users } from "./core.ts";

export const surveyQuestionKinds = ["single_choice", "multiple_choice", "scale", "free_text"] as const;
export type SurveyQuestionKind = (typeof surveyQuestionKinds)[number];

export const surveys = sqliteTable(
  "surveys",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    title: text("title").notNull(),
    /** Markdown, shown above the questions. */
    intro: text("intro").notNull().default(""),
    /** The window, UTC milliseconds: answers are taken from `opensAt` until just before `closesAt`. */
    opensAt: integer("opens_at").notNull(),
    closesAt: integer("closes_at").notNull(),
    createdByUserId: integer("created_by_user_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [index("surveys_closes_at").on(t.closesAt)],
);

export const surveyQuestions = sqliteTable(
  "survey_questions",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    surveyId: integer("survey_id")
      .notNull()
      .references(() => surveys.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    kind: text("kind", { enum: surveyQuestionKinds }).notNull(),
    prompt: text("prompt").notNull(),
    help: text("help").notNull().default(""),
    required: integer("required", { mode: "boolean" }).notNull().default(false),
    /** The options of a choice question, in order. */
    options: text("options", { mode: "json" }).$type<string[]>().notNull().default([]),
    /** The words at each end of a 1–5 scale ("Never", "Every week"). */
    scaleLow: text("scale_low").notNull().default(""),
    scaleHigh: text("scale_high").notNull().default(""),
  },
  (t) => [index("survey_questions_survey").on(t.surveyId, t.position)],
);

/** One per person and survey: answering again edits this response (until the survey closes). */
export const surveyResponses = sqliteTable(
  "survey_responses",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    surveyId: integer("survey_id")
      .notNull()
      .references(() => surveys.id, { onDelete: "cascade" }),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    submittedAt: integer("submitted_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [uniqueIndex("survey_responses_once").on(t.surveyId, t.userId)],
);

/** An answer: the chosen option(s) (`choices`), a 1–5 `scale`, or `text`. Unanswered: no row. */
export const surveyAnswers = sqliteTable(
  "survey_answers",
  {
    responseId: integer("response_id")
      .notNull()
      .references(() => surveyResponses.id, { onDelete: "cascade" }),
    questionId: integer("question_id")
      .notNull()
      .references(() => surveyQuestions.id, { onDelete: "cascade" }),
    choices: text("choices", { mode: "json" }).$type<string[]>().notNull().default([]),
    scale: integer("scale"),
    text: text("text"),
  },
  (t) => [primaryKey({ columns: [t.responseId, t.questionId] })],
);

export type Survey = typeof surveys.$inferSelect;
export type SurveyQuestion = typeof surveyQuestions.$inferSelect;
