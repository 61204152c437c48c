// The maintainer survey's forms and words: the survey's details, one question, and the answer form
// built from a survey's questions (fields named `q-<question id>`). Shared by the pages and the
// model; no server code.
import { z } from "zod";
import { textField } from "#app/utils/form-text.ts";
import { surveyQuestionKinds, type SurveyQuestionKind } from "#db/schema/surveys.ts";

export { surveyQuestionKinds, type SurveyQuestionKind };

export const questionKindLabels: Record<SurveyQuestionKind, string> = {
  single_choice: "Single choice",
  multiple_choice: "Multiple choice (tick any)",
  scale: "Scale from 1 to 5",
  free_text: "Free text",
};

/** The fewest people whose answers to a question may be shown together: no smaller group is shown. */
export const MIN_GROUP = 5;

/** At most this many characters in a free-text answer. */
export const FREE_TEXT_MAX = 4000;

export type SurveyState = "scheduled" | "open" | "closed";

export const surveyStateLabels: Record<SurveyState, string> = {
  scheduled: "Not open yet",
  open: "Open for answers",
  closed: "Closed",
};

const day = z
  .string({ error: "Choose a date." })
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Choose a date (YYYY-MM-DD).")
  .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)), "Choose a real date.");

/** Title, introduction and window. The window is in whole UTC days: from the start of `opensOn` to the end of `closesOn`. */
export const SurveyForm = z
  .object({
    title: textField({ min: 5, max: 120, required: "Give the survey a title." }),
    intro: textField({ max: 4000 }).optional(),
    opensOn: day,
    closesOn: day,
  })
  .refine((v) => v.closesOn >= v.opensOn, {
    path: ["closesOn"],
    message: "The survey must close on or after the day it opens.",
  });

const optionLines = (text: string | undefined) =>
  (text ?? "")
    .split("\n")
    .map((o) => o.trim())
    .filter(Boolean);

export const QuestionForm = z
  .object({
    intent: z.literal("question"),
    questionId: z.coerce.number().int().positive().optional(),
    kind: z.enum(surveyQuestionKinds, { error: "Choose the kind of answer." }),
    prompt: textField({ min: 3, max: 300, required: "Write the question." }),
    help: textField({ max: 500 }).optional(),
    required: z.boolean().default(false),
    options: textField({ max: 2000 }).optional(),
    scaleLow: textField({ max: 60 }).optional(),
    scaleHigh: textField({ max: 60 }).optional(),
  })
  .superRefine((v, ctx) => {
    const options = optionLines(v.options);
    if (v.kind === "single_choice" || v.kind === "multiple_choice") {
      if (options.length < 2)
        ctx.addIssue({ code: "custom", path: ["options"], message: "Give at least two options, one per line." });
      if (new Set(options).size !== options.length)
        ctx.addIssue({ code: "custom", path: ["options"], message: "Give each option once." });
      if (options.some((o) => o.length > 200))
        ctx.addIssue({ code: "custom", path: ["options"], message: "Keep each option under 200 characters." });
    }
    if (v.kind === "scale") {
      if (!v.scaleLow) ctx.addIssue({ code: "custom", path: ["scaleLow"], message: "Say what 1 means." });
      if (!v.scaleHigh) ctx.addIssue({ code: "custom", path: ["scaleHigh"], message: "Say what 5 means." });
    }
  })
  .transform((v) => ({
    questionId: v.questionId,
    input: {
      kind: v.kind,
      prompt: v.prompt,
      help: v.help ?? "",
      required: v.required,
      options: v.kind === "single_choice" || v.kind === "multiple_choice" ? optionLines(v.options) : [],
      scaleLow: v.kind === "scale" ? (v.scaleLow ?? "") : "",
      scaleHigh: v.kind === "scale" ? (v.scaleHigh ?? "") : "",
    },
  }));

export type QuestionInput = z.output<typeof QuestionForm>["input"];

/** One answer as the form gave it: chosen options, a scale point, or text. */
export type AnswerValue = { choices: string[] } | { scale: number } | { text: string };

const text = (value: unknown) => (typeof value === "string" ? value : undefined);
const texts = (value: unknown) => (Array.isArray(value) ? value.map(String) : typeof value === "string" ? [value] : []);

/**
 * The answer form's schema for these questions: reads each `q-<id>` field into an AnswerValue (an
 * empty field is no answer). Whether the answers are acceptable (required, known options) is the
 * model's rule (checkAnswers in answers.server.ts).
 */
export function answerForm(questions: { id: number; kind: SurveyQuestionKind }[]) {
  return z.looseObject({}).transform((v) => {
    const answers: Record<number, AnswerValue> = {};
    for (const q of questions) {
      const raw = v[`q-${q.id}`];
      if (q.kind === "multiple_choice") {
        const chosen = texts(raw).filter(Boolean);
        if (chosen.length) answers[q.id] = { choices: chosen };
      } else if (q.kind === "single_choice") {
        const chosen = text(raw);
        if (chosen) answers[q.id] = { choices: [chosen] };
      } else if (q.kind === "scale") {
        const n = Number(text(raw));
        if (text(raw)) answers[q.id] = { scale: n };
      } else {
        const written = (text(raw) ?? "").replace(/\r\n/g, "\n").trim();
        if (written) answers[q.id] = { text: written };
      }
    }
    return answers;
  });
}

export type OptionFigure = { label: string; count: number; share: number };

export type QuestionResult = {
  id: number;
  prompt: string;
  kind: SurveyQuestionKind;
  scaleLow: string;
  scaleHigh: string;
  /** How many people answered this question. */
  answered: number;
  /** The figures, or null when fewer than MIN_GROUP answered (or it is a free-text question). */
  figures: OptionFigure[] | null;
  /** The mean of a scale question's answers, when its figures are shown. */
  mean: number | null;
  /** Free-text answers: only for admins, else null. */
  texts: string[] | null;
};
