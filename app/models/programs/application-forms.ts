// The application form: one zod schema for the apply page's action, built from the programme's
// questions and projects, whose ids name the fields (`q-<id>`, `rank-<id>`). It checks the form's
// shape; the answers themselves are checked by the model (validateAnswers), which knows whether the
// application is a draft. No server code.
import { z } from "zod";
import { timeZoneField } from "#app/utils/time.ts";
import type { QuestionKind } from "#app/models/programs/constants.ts";
import type { AnswerValues } from "#app/models/programs/answers.server.ts";
import type { ApplicationDraft } from "#app/models/programs/applications.server.ts";

/** An hour of the day from a select; anything else counts as not given, as an empty select does. */
const hour = z
  .string()
  .optional()
  .transform((v) => {
    const n = Number(v);
    return v && Number.isInteger(n) && n >= 0 && n <= 24 ? n : null;
  });

const text = (value: unknown) => (typeof value === "string" ? value : undefined);
const texts = (value: unknown) => (Array.isArray(value) ? value.map(String) : typeof value === "string" ? [value] : []);

export function applicationForm(questions: { id: number; kind: QuestionKind }[], projectIds: number[]) {
  /** The ranks given, as [project id, rank]; an empty select is no preference. */
  const ranks = (v: Record<string, unknown>) =>
    projectIds.map((id) => [id, text(v[`rank-${id}`]) ?? ""] as const).filter(([, rank]) => rank !== "");
  return z
    .looseObject({
      // Buttons name the intent; anything else saves, as the plain Save button does.
      intent: z.enum(["save", "submit", "autosave"]).catch("save"),
      // Optional: an empty choice is "not given"; a zone is stored under its current name.
      timezone: z.preprocess(
        (v) => (typeof v === "string" && v.trim() === "" ? undefined : v),
        timeZoneField({ invalid: "Choose your time zone from the list, e.g. Europe/Paris." }).optional(),
      ),
      availableFrom: hour,
      availableTo: hour,
    })
    .superRefine((v, ctx) => {
      const given = ranks(v).map(([, rank]) => rank);
      if (new Set(given).size !== given.length)
        ctx.addIssue({ code: "custom", path: ["ranking"], message: "Give each project a different rank." });
      if ((v.availableFrom === null) !== (v.availableTo === null))
        ctx.addIssue({
          code: "custom",
          path: ["availability"],
          message: "Give both the start and the end of your usual free hours.",
        });
    })
    .transform((v) => {
      const answers: AnswerValues = {};
      for (const q of questions) {
        if (q.kind === "multiple_choice") {
          // A hidden marker tells "all boxes unticked" apart from "question not on the form".
          if (v[`q-${q.id}-present`] !== undefined) answers[q.id] = texts(v[`q-${q.id}`]);
        } else {
          const value = text(v[`q-${q.id}`]);
          if (value !== undefined) answers[q.id] = value;
        }
      }
      const draft: ApplicationDraft = {
        answers,
        projectRanking: ranks(v)
          .sort((x, y) => Number(x[1]) - Number(y[1]))
          .map(([id]) => id),
        timezone: v.timezone || null,
        availableFrom: v.availableFrom,
        availableTo: v.availableTo,
      };
      return { intent: v.intent, draft };
    });
}

/** The model's problems (keyed by question id, "form" or a field) as Conform errors. */
export function applicationErrors(problems: Record<string, string>, message: string | null) {
  const fieldErrors: Record<string, string[]> = {};
  const formErrors = message ? [message] : [];
  for (const [key, problem] of Object.entries(problems)) {
    if (key === "form") formErrors.push(problem);
    else fieldErrors[/^\d+$/.test(key) ? `q-${key}` : key] = [problem];
  }
  return { formErrors, fieldErrors };
}
