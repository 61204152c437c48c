// A closed survey's public results as Markdown lines, for the monthly report. No server code.
import { MIN_GROUP, type QuestionResult } from "#app/models/surveys/forms.ts";

type Reported = { id: number; title: string; responses: number; questions: QuestionResult[] };

const esc = (t: string) => t.replace(/([\\`*_[\]<>])/g, "\\$1");

/** What a question's figures say, in one line, or why they are not shown. */
export function figuresLine(question: QuestionResult): string {
  if (question.kind === "free_text")
    return `${question.answered} written answer${question.answered === 1 ? "" : "s"}, read by the working group's admins.`;
  if (!question.figures)
    return `Fewer than ${MIN_GROUP} people answered (${question.answered}): not shown, so that no small group can be singled out.`;
  const parts = question.figures.map(
    (f) => `${question.kind === "scale" ? `${f.label}` : esc(f.label)}: ${f.count} (${f.share}%)`,
  );
  const ends =
    question.kind === "scale"
      ? ` (1 = ${esc(question.scaleLow)}, 5 = ${esc(question.scaleHigh)}; mean ${question.mean})`
      : "";
  return `${parts.join(" · ")}${ends}; ${question.answered} answered.`;
}

export function surveyMarkdown(survey: Reported, appUrl: string): string[] {
  return [
    `## Maintainer survey: ${esc(survey.title)}`,
    "",
    `${survey.responses} verified maintainer${survey.responses === 1 ? "" : "s"} answered. Full results: ${appUrl}/surveys/${survey.id}/results`,
    "",
    ...survey.questions.map((q) => `- **${esc(q.prompt)}** ${figuresLine(q)}`),
  ];
}
