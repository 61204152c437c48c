// One question of a programme's application form (short or long text, web address, single or
// multiple choice, yes/no) with its hint and error, wired for screen readers. Its field is named
// `q-<question id>`; a multiple-choice question adds a `q-<id>-present` marker.

export type ApplicationQuestion = {
  id: number;
  kind: string;
  label: string;
  help: string;
  required: boolean;
  maxLength: number | null;
  options: string[];
};

export function QuestionField({
  question: q,
  value,
  problem,
}: {
  question: ApplicationQuestion;
  value: string | string[] | undefined;
  problem: string | undefined;
}) {
  const id = `q-${q.id}`;
  const hintId = q.help || q.maxLength ? `${id}-hint` : undefined;
  const errorId = problem ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(" ") || undefined;
  const label = (
    <>
      {q.label}
      {q.required ? <span className="muted"> (required)</span> : <span className="muted"> (optional)</span>}
    </>
  );
  const hint = hintId ? (
    <p id={hintId} className="field-hint">
      {q.help}
      {q.help && q.maxLength ? " " : ""}
      {q.maxLength ? `At most ${q.maxLength} characters.` : ""}
    </p>
  ) : null;
  const error = problem ? (
    <p id={errorId} className="field-error">
      {problem}
    </p>
  ) : null;
  if (q.kind === "single_choice" || q.kind === "multiple_choice" || q.kind === "yes_no") {
    const options = q.kind === "yes_no" ? ["yes", "no"] : q.options;
    const chosen = Array.isArray(value) ? value : value ? [value] : [];
    return (
      <fieldset className="field" aria-describedby={describedBy} aria-invalid={problem ? true : undefined}>
        <legend>{label}</legend>
        {hint}
        {q.kind === "multiple_choice" ? <input type="hidden" name={`${id}-present`} value="1" /> : null}
        {options.map((option, i) => (
          <div key={option} className="field-checkbox">
            <input
              type={q.kind === "multiple_choice" ? "checkbox" : "radio"}
              id={`${id}-${i}`}
              name={id}
              value={option}
              defaultChecked={chosen.includes(option)}
            />
            <label htmlFor={`${id}-${i}`}>{q.kind === "yes_no" ? (option === "yes" ? "Yes" : "No") : option}</label>
          </div>
        ))}
        {error}
      </fieldset>
    );
  }
  const text = typeof value === "string" ? value : "";
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint}
      {q.kind === "long_text" ? (
        <textarea
          id={id}
          name={id}
          rows={6}
          defaultValue={text}
          aria-describedby={describedBy}
          aria-invalid={problem ? true : undefined}
        />
      ) : (
        <input
          id={id}
          name={id}
          type={q.kind === "url" ? "url" : "text"}
          defaultValue={text}
          aria-describedby={describedBy}
          aria-invalid={problem ? true : undefined}
        />
      )}
      {error}
    </div>
  );
}
