// Answers to a programme's questions: how they are stored (text as given, a JSON array for multiple
// choice), read back for the applicant and the review, and the one check of answers against questions.
import { eq } from "drizzle-orm";
import { db, schema } from "#app/utils/db.server.ts";
import type { ProgramQuestion } from "#db/schema.ts";

export type AnswerValues = Record<number, string | string[]>;

export async function getAnswers(applicationId: number): Promise<AnswerValues> {
  const rows = await db()
    .select()
    .from(schema.applicationAnswers)
    .where(eq(schema.applicationAnswers.applicationId, applicationId))
    .all();
  const answers: AnswerValues = {};
  for (const r of rows) answers[r.questionId] = decodeAnswer(r.value);
  return answers;
}

function decodeAnswer(value: string): string | string[] {
  if (value.startsWith("[")) {
    try {
      const parsed = JSON.parse(value) as unknown;
      if (Array.isArray(parsed)) return parsed.map(String);
    } catch {
      // a text answer that happens to start with "["
    }
  }
  return value;
}

export function encodeAnswer(value: string | string[]): string {
  return Array.isArray(value) ? JSON.stringify(value) : value.startsWith("[") ? ` ${value}` : value;
}

/** Problems with an application's answers, keyed by question id (or "ranking"); empty when fine. */
export function validateAnswers(
  questions: ProgramQuestion[],
  answers: AnswerValues,
  { requireAll }: { requireAll: boolean },
): Record<string, string> {
  const problems: Record<string, string> = {};
  for (const question of questions) {
    const value = answers[question.id];
    const text = Array.isArray(value) ? value.join("") : (value ?? "").trim();
    const key = String(question.id);
    if (!text) {
      if (requireAll && question.required) problems[key] = "This question needs an answer.";
      continue;
    }
    if (question.maxLength && !Array.isArray(value) && text.length > question.maxLength)
      problems[key] = `Keep this to ${question.maxLength} characters (now ${text.length}).`;
    const options = question.options;
    if (question.kind === "single_choice" && !options.includes(text)) problems[key] = "Choose one of the options.";
    if (question.kind === "multiple_choice") {
      const chosen = Array.isArray(value) ? value : [value!];
      if (chosen.some((c) => !options.includes(c))) problems[key] = "Choose among the options shown.";
    }
    if (question.kind === "yes_no" && text !== "yes" && text !== "no") problems[key] = "Answer yes or no.";
    if (question.kind === "url" && !/^https?:\/\/[^\s]+\.[^\s]+$/i.test(text))
      problems[key] = "Enter a full web address starting with https://.";
  }
  return problems;
}
