// The survey's title, introduction and window, for creating and editing a survey.
import { Form } from "@remix-run/react";
import { getFormProps, getInputProps, getTextareaProps, type SubmissionResult } from "@conform-to/react";
import { Field, FormErrors, useSchemaForm } from "#app/components/field.tsx";
import { SurveyForm } from "#app/models/surveys/forms.ts";

export function SurveyFields({
  lastResult,
  defaultValue,
  submitLabel,
  openingFixed = false,
}: {
  lastResult: SubmissionResult<string[]> | undefined;
  defaultValue: { title?: string; intro?: string; opensOn: string; closesOn: string };
  submitLabel: string;
  openingFixed?: boolean;
}) {
  const [form, fields] = useSchemaForm(SurveyForm, { id: "survey", lastResult, defaultValue });
  return (
    <Form method="post" {...getFormProps(form)} className="stack">
      <input type="hidden" name="intent" value="details" />
      <FormErrors errors={form.errors} />
      <Field field={fields.title} label="Title">
        {(aria) => <input {...getInputProps(fields.title, { type: "text" })} {...aria} />}
      </Field>
      <Field
        field={fields.intro}
        label="Introduction (optional)"
        hint="Why the working group asks, what happens with the answers. Markdown."
      >
        {(aria) => <textarea {...getTextareaProps(fields.intro)} {...aria} rows={5} />}
      </Field>
      <Field
        field={fields.opensOn}
        label="Opens on (UTC)"
        hint={openingFixed ? "The survey is open: its opening day is fixed." : "From 00:00 UTC that day."}
      >
        {(aria) => <input {...getInputProps(fields.opensOn, { type: "date" })} {...aria} readOnly={openingFixed} />}
      </Field>
      <Field field={fields.closesOn} label="Closes at the end of (UTC)" hint="Until 24:00 UTC that day.">
        {(aria) => <input {...getInputProps(fields.closesOn, { type: "date" })} {...aria} />}
      </Field>
      <p>
        <button type="submit" className="button">
          {submitLabel}
        </button>
      </p>
    </Form>
  );
}
