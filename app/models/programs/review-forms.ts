// The forms of one application's review page (score, comment, decide): one zod schema, told apart by
// the `intent` their buttons send. Scores are checked against 1..5 by the model (scoreApplication),
// which knows the rubric's rule. No server code.
import { z } from "zod";
import type { RubricCriterion } from "#db/schema.ts";

export const decisionChoices = ["accepted", "waitlisted", "rejected", "none"] as const;

export function reviewForm(rubric: RubricCriterion[]) {
  return z.discriminatedUnion("intent", [
    z.looseObject({ intent: z.literal("score") }).transform((v) => ({
      intent: v.intent,
      scores: Object.fromEntries(rubric.map((c) => [c.id, Number(v[`score-${c.id}`])])),
    })),
    z.object({
      intent: z.literal("comment"),
      body: z
        .string({ error: "Write a comment first." })
        .trim()
        .min(1, "Write a comment first.")
        .max(5000, "Keep comments under 5000 characters."),
    }),
    z.object({
      intent: z.literal("decide"),
      decision: z.enum(decisionChoices, { error: "Choose a decision." }).transform((d) => (d === "none" ? null : d)),
    }),
  ]);
}

/** The review settings on the programme's edit page (a form of its own, intent "review-settings"). */
export const reviewSettingsSchema = z.object({
  intent: z.literal("review-settings"),
  anonymisedReview: z.boolean().default(false),
});
