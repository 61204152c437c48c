// The one Django version picker, in its two shapes: checkboxes (call form, profile) and a <select>
// (the /calls filter). Both show what djangoVersionOptions decided: the versions offered and, for an
// upcoming or end-of-life one, why it stands out. Plain form controls: they post without JavaScript.
import type { DjangoVersionOption } from "#app/models/ecosystem/version-labels.ts";

export function DjangoVersionCheckboxes({
  name,
  options,
  chosen,
  legend,
  hint,
  errors,
  errorId,
  className,
}: {
  name: string;
  options: DjangoVersionOption[];
  chosen: ReadonlySet<string>;
  legend: string;
  hint?: string;
  errors?: string[];
  errorId?: string;
  className?: string;
}) {
  const hintId = `${name}-versions-hint`;
  const describedBy = [hint ? hintId : null, errors?.length && errorId ? errorId : null].filter(Boolean).join(" ");
  return (
    <fieldset
      className={["django-versions", className].filter(Boolean).join(" ")}
      aria-describedby={describedBy || undefined}
    >
      <legend>{legend}</legend>
      {hint ? (
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      ) : null}
      {errors?.length ? (
        <p id={errorId} className="field-error">
          {errors.join(" ")}
        </p>
      ) : null}
      <div className="checkbox-columns">
        {options.map((o) => {
          const id = `${name}-${o.version.replace(/[^a-zA-Z0-9]+/g, "-")}`;
          return (
            <div className="field field-checkbox" key={o.version}>
              <input type="checkbox" id={id} name={name} value={o.version} defaultChecked={chosen.has(o.version)} />
              <label htmlFor={id}>
                {o.label}
                {o.note ? <span className="version-note"> ({o.note})</span> : null}
              </label>
            </div>
          );
        })}
      </div>
    </fieldset>
  );
}

export function DjangoVersionSelect({
  id,
  name,
  options,
  defaultValue,
  anyLabel,
}: {
  id: string;
  name: string;
  /** Only what a <select> shows: a page may send just these to the browser. */
  options: Pick<DjangoVersionOption, "version" | "tag">[];
  defaultValue: string;
  anyLabel: string;
}) {
  return (
    <select id={id} name={name} defaultValue={defaultValue}>
      <option value="">{anyLabel}</option>
      {options.map((o) => (
        <option key={o.version} value={o.version}>
          {o.tag ? `${o.version} (${o.tag})` : o.version}
        </option>
      ))}
    </select>
  );
}
