// The call form's fields, shared by /calls/new and /calls/:id/edit. Works without JavaScript:
// skills are one <select> per skill (all named "skills", value "skill:level"), Django versions checkboxes.
import type { FieldMetadata } from "@conform-to/react";
import { getInputProps, getSelectProps, getTextareaProps } from "@conform-to/react";
import { Field } from "#app/components/field.tsx";
import { callKindLabels, callKinds, callUrgencies, urgencyLabels } from "#app/models/calls/forms.ts";

type Fields = {
  kind: FieldMetadata<string>;
  title: FieldMetadata<string>;
  description: FieldMetadata<string>;
  skills: FieldMetadata<unknown>;
  hoursPerWeek: FieldMetadata<unknown>;
  djangoVersions: FieldMetadata<unknown>;
  urgency: FieldMetadata<string>;
  expiresOn: FieldMetadata<string>;
};

type Skill = { id: string; name: string; group: string };

function asList(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === "string");
  return typeof value === "string" && value ? [value] : [];
}

export function CallFormFields({
  fields,
  skills,
  djangoVersions,
  latestExpiry,
}: {
  fields: Fields;
  skills: Skill[];
  djangoVersions: string[];
  latestExpiry: string;
}) {
  const chosenSkills = new Map(asList(fields.skills.initialValue).map((v) => v.split(":") as [string, string]));
  const chosenVersions = new Set(asList(fields.djangoVersions.initialValue));
  const groups = [...new Set(skills.map((s) => s.group))];
  return (
    <>
      <Field field={fields.kind} label="Kind of help">
        {(aria) => (
          <select {...getSelectProps(fields.kind)} {...aria}>
            <option value="">Choose…</option>
            {callKinds.map((k) => (
              <option key={k} value={k}>
                {callKindLabels[k]}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field
        field={fields.title}
        label="Title"
        hint="5 to 120 characters, e.g. “Co-maintainer for releases and triage”."
      >
        {(aria) => <input {...getInputProps(fields.title, { type: "text" })} {...aria} maxLength={120} />}
      </Field>
      <Field
        field={fields.description}
        label="Description"
        hint="Markdown. What the package needs, what the work looks like, how you will help a newcomer. Up to 10,000 characters."
      >
        {(aria) => <textarea {...getTextareaProps(fields.description)} {...aria} rows={12} maxLength={10_000} />}
      </Field>
      <fieldset
        className="call-skills"
        aria-describedby={fields.skills.errors?.length ? fields.skills.errorId : undefined}
      >
        <legend>Skills wanted (1 to 8), with the level you need</legend>
        {fields.skills.errors?.length ? (
          <p id={fields.skills.errorId} className="field-error">
            {fields.skills.errors.join(" ")}
          </p>
        ) : null}
        {groups.map((group) => (
          <div key={group} className="call-skill-group">
            <h3>{group}</h3>
            {skills
              .filter((s) => s.group === group)
              .map((s) => (
                <div className="field call-skill" key={s.id}>
                  <label htmlFor={`skill-${s.id}`}>{s.name}</label>
                  <select
                    id={`skill-${s.id}`}
                    name="skills"
                    defaultValue={chosenSkills.has(s.id) ? `${s.id}:${chosenSkills.get(s.id)}` : ""}
                  >
                    <option value="">Not needed</option>
                    <option value={`${s.id}:learning`}>Learning is fine</option>
                    <option value={`${s.id}:comfortable`}>Comfortable</option>
                    <option value={`${s.id}:expert`}>Expert</option>
                  </select>
                </div>
              ))}
          </div>
        ))}
      </fieldset>
      <Field field={fields.hoursPerWeek} label="Time commitment (hours per week)">
        {(aria) => <input {...getInputProps(fields.hoursPerWeek, { type: "number" })} {...aria} min={1} max={40} />}
      </Field>
      <fieldset className="call-versions">
        <legend>Django versions involved</legend>
        {fields.djangoVersions.errors?.length ? (
          <p className="field-error">{fields.djangoVersions.errors.join(" ")}</p>
        ) : null}
        {djangoVersions.map((v) => (
          <div className="field field-checkbox" key={v}>
            <input
              type="checkbox"
              id={`django-${v}`}
              name="djangoVersions"
              value={v}
              defaultChecked={chosenVersions.has(v)}
            />
            <label htmlFor={`django-${v}`}>Django {v}</label>
          </div>
        ))}
      </fieldset>
      <Field field={fields.urgency} label="Urgency">
        {(aria) => (
          <select {...getSelectProps(fields.urgency)} {...aria}>
            <option value="">Choose…</option>
            {callUrgencies.map((u) => (
              <option key={u} value={u}>
                {urgencyLabels[u]}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field
        field={fields.expiresOn}
        label="Open until"
        hint={`The call expires after this day (at most ${latestExpiry}). We remind you a week before, with a one-click way to keep it open.`}
      >
        {(aria) => <input {...getInputProps(fields.expiresOn, { type: "date" })} {...aria} max={latestExpiry} />}
      </Field>
    </>
  );
}
