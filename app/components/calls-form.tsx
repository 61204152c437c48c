// The call form's fields, shared by /calls/new and /calls/:id/edit. Works without JavaScript:
// skills are one <select> per skill (all named "skills", value "skill:level"), Django versions checkboxes.
import type { FieldMetadata } from "@conform-to/react";
import { getInputProps, getSelectProps, getTextareaProps } from "@conform-to/react";
import { Field } from "#app/components/field.tsx";
import { DjangoVersionCheckboxes } from "#app/components/django-versions.tsx";
import { callKindLabels, callKinds, callUrgencies, urgencyLabels } from "#app/models/calls/forms.ts";
import type { DjangoVersionOption } from "#app/models/ecosystem/version-labels.ts";

type Fields = {
  kind: FieldMetadata<string>;
  title: FieldMetadata<string>;
  description: FieldMetadata<string>;
  skills: FieldMetadata<unknown>;
  hoursPerWeek: FieldMetadata<unknown>;
  djangoVersions: FieldMetadata<unknown>;
  urgency: FieldMetadata<string>;
  mentoring: FieldMetadata<unknown>;
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
  /** From djangoVersionChoices("new-call", the call's own versions). */
  djangoVersions: DjangoVersionOption[];
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
        {(aria) => <input {...getInputProps(fields.title, { type: "text" })} {...aria} />}
      </Field>
      <Field
        field={fields.description}
        label="Description"
        hint="Markdown. What the package needs, what the work looks like, how you will help a newcomer. Up to 10,000 characters."
      >
        {(aria) => <textarea {...getTextareaProps(fields.description)} {...aria} rows={12} />}
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
      <DjangoVersionCheckboxes
        className="call-versions"
        name="djangoVersions"
        legend="Django versions involved"
        hint="Supported releases and the upcoming ones; releases past their end of life are not offered for new calls."
        options={djangoVersions}
        chosen={chosenVersions}
        errors={fields.djangoVersions.errors}
        errorId={fields.djangoVersions.errorId}
      />
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
      <div className="field field-checkbox">
        <input
          {...getInputProps(fields.mentoring, { type: "checkbox" })}
          aria-describedby={fields.mentoring.descriptionId}
        />
        <label htmlFor={fields.mentoring.id}>We will mentor someone still learning these skills</label>
        <p id={fields.mentoring.descriptionId} className="field-hint">
          People who list a skill as learning may then be suggested even where you ask for expert level, and people who
          want to be mentored see the call.
        </p>
      </div>
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
