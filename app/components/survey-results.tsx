// A closed survey's results in aggregate: a bar chart per choice or scale question (with the same
// figures as a table), or why a question's figures are held back; free-text answers only when the
// loader gave them (admins). Used by the results page, the monthly report and the ecosystem review.
import { BarChart } from "#app/components/bar-chart.tsx";
import { MIN_GROUP, type QuestionResult } from "#app/models/surveys/forms.ts";

export function SurveyQuestionResults({ questions, level = 3 }: { questions: QuestionResult[]; level?: 2 | 3 }) {
  const H = level === 2 ? "h2" : "h3";
  return (
    <div className="stack survey-results">
      {questions.map((q) => (
        <section key={q.id} className="card stack" aria-labelledby={`survey-q-${q.id}`}>
          <H id={`survey-q-${q.id}`} className="h3">
            {q.prompt}
          </H>
          {q.kind === "free_text" ? (
            q.texts ? (
              q.texts.length ? (
                <>
                  <p className="muted">
                    {q.texts.length} written answer{q.texts.length === 1 ? "" : "s"}, visible to admins only, without
                    names, in no particular order.
                  </p>
                  <ul className="survey-texts">
                    {q.texts.map((text, i) => (
                      <li key={i}>{text}</li>
                    ))}
                  </ul>
                </>
              ) : (
                <p className="muted">No written answers.</p>
              )
            ) : (
              <p className="muted">
                {q.answered} written answer{q.answered === 1 ? "" : "s"}, read by the working group&rsquo;s admins only.
              </p>
            )
          ) : q.figures ? (
            <BarChart
              title={q.kind === "scale" ? `Mean ${q.mean} on 1–5` : "Answers"}
              caption={
                q.kind === "scale"
                  ? `1 = ${q.scaleLow}, 5 = ${q.scaleHigh}. ${q.answered} people answered.`
                  : `Share of the ${q.answered} people who answered${q.kind === "multiple_choice" ? " (several could be ticked)" : ""}.`
              }
              bars={q.figures.map((f) => ({
                label:
                  q.kind === "scale"
                    ? `${f.label}${f.label === "1" ? ` (${q.scaleLow})` : f.label === "5" ? ` (${q.scaleHigh})` : ""}`
                    : f.label,
                value: f.share,
                note: `${f.count} of ${q.answered}`,
              }))}
              max={100}
              unit="%"
              columns={["Answer", "Share"]}
            />
          ) : (
            <p className="muted">
              Fewer than {MIN_GROUP} people answered this question ({q.answered}): its figures are not shown, so that no
              small group can be singled out.
            </p>
          )}
        </section>
      ))}
    </div>
  );
}
