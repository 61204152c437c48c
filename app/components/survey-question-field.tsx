// One question of a maintainer survey as a form control, with its hint and error wired for screen
// readers: radio buttons (single choice), check boxes (multiple choice), five radio buttons with
// labelled ends (scale), or a text area (free text). Its field is named `q-<question id>`.
import type { SurveyQuestionKind } from "#app/models/surveys/forms.ts";

export type SurveyFieldQuestion = {
  id: number;
  kind: SurveyQuestionKind;
  prompt: string;
  help: string;
  required: boolean;
  options: string[];
  scaleLow: string;
  scaleHigh: string;
};

/** The value shown: chosen options, a scale point as text, or text. */
export type SurveyFieldValue = string | string[] | undefined;

export function SurveyQuestionField({
  question: q,
  number,
  value,
  problem,
}: {
  question: SurveyFieldQuestion;
  number: number;
  value: SurveyFieldValue;
  problem: string | undefined;
}) {
  const id = `q-${q.id}`;
  const hintId = q.help ? `${id}-hint` : undefined;
  const errorId = problem ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(" ") || undefined;
  const label = (
    <>
      {number}. {q.prompt}
      <span className="muted"> {q.required ? "(required)" : "(optional)"}</span>
    </>
  );
  const hint = hintId ? (
    <p id={hintId} className="field-hint">
      {q.help}
    </p>
  ) : null;
  const error = problem ? (
    <p id={errorId} className="field-error">
      {problem}
    </p>
  ) : null;
  const chosen = Array.isArray(value) ? value : value ? [value] : [];
  if (q.kind === "free_text") {
    return (
      <div className="field">
        <label htmlFor={id}>{label}</label>
        {hint}
        <textarea
          id={id}
          name={id}
          rows={5}
          defaultValue={typeof value === "string" ? value : ""}
          aria-describedby={describedBy}
          aria-invalid={problem ? true : undefined}
        />
        <p className="field-hint">Read by the working group&rsquo;s admins only, without your name.</p>
        {error}
      </div>
    );
  }
  const options =
    q.kind === "scale"
      ? ["1", "2", "3", "4", "5"].map((v) => ({
          value: v,
          text: v === "1" ? `1: ${q.scaleLow}` : v === "5" ? `5: ${q.scaleHigh}` : v,
        }))
      : q.options.map((o) => ({ value: o, text: o }));
  return (
    <fieldset
      className={`field${q.kind === "scale" ? " survey-scale" : ""}`}
      aria-describedby={describedBy}
      aria-invalid={problem ? true : undefined}
    >
      <legend>{label}</legend>
      {hint}
      <div className={q.kind === "scale" ? "survey-scale-points" : undefined}>
        {options.map((option, i) => (
          <div key={option.value} className="field-checkbox">
            <input
              type={q.kind === "multiple_choice" ? "checkbox" : "radio"}
              id={`${id}-${i}`}
              name={id}
              value={option.value}
              defaultChecked={chosen.includes(option.value)}
            />
            <label htmlFor={`${id}-${i}`}>{option.text}</label>
          </div>
        ))}
      </div>
      {error}
    </fieldset>
  );
}
