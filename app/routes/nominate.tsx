// /nominate: any signed-in person says a package needs help, with evidence. Roadies triage it.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { getFormProps, getInputProps, getSelectProps, getTextareaProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Field, FormErrors, useSchemaForm } from "#app/components/field.tsx";
import { requireUser } from "#app/models/people/auth.server.ts";
import { hitRateLimit } from "#app/utils/rate-limit.server.ts";
import { createNomination, nominateRule } from "#app/models/calls/nominations.server.ts";
import { nominateSchema, nominationReasonLabels } from "#app/models/calls/nominations-forms.ts";
import { readFormData } from "#app/utils/form.server.ts";

export const meta: MetaFunction = () => [{ title: "Nominate a package · Roadies" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request);
  const url = new URL(request.url);
  return { sent: url.searchParams.has("sent"), packageName: url.searchParams.get("package")?.slice(0, 100) ?? "" };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const submission = parseWithZod(await readFormData(request), { schema: nominateSchema });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const limit = await hitRateLimit(nominateRule, `user:${user.id}`);
  if (!limit.allowed) {
    return data(
      submission.reply({ formErrors: ["You have nominated many packages today: please try again tomorrow."] }),
      {
        status: 429,
      },
    );
  }
  await createNomination(user.id, submission.value);
  return redirect("/nominate?sent=1");
}

export default function Nominate() {
  const { sent, packageName } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [form, fields] = useSchemaForm(nominateSchema, {
    id: "nominate",
    lastResult,
    defaultValue: { packageName },
  });
  return (
    <section className="stack narrow">
      <h1>Nominate a package that needs help</h1>
      {sent ? (
        <div className="alert" role="status">
          <p>Thank you: the roadies will look at it and write to you with the outcome.</p>
        </div>
      ) : null}
      <p>
        Is a package you rely on unmaintained, blocking a Django release, or looking for a new home? Tell the roadies.
        They contact the maintainers and, once one agrees, publish a call for help.{" "}
        <Link to="/roadies">About roadies</Link>
      </p>
      <Form method="post" {...getFormProps(form)} className="stack">
        <FormErrors errors={form.errors} />
        <Field field={fields.packageName} label="Package name on PyPI">
          {(aria) => <input {...getInputProps(fields.packageName, { type: "text" })} {...aria} />}
        </Field>
        <Field field={fields.reason} label="Why it needs help">
          {(aria) => (
            <select {...getSelectProps(fields.reason)} {...aria}>
              <option value="">Choose…</option>
              {Object.entries(nominationReasonLabels).map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field
          field={fields.evidence}
          label="Evidence links"
          hint="One per line: issues, failing builds, a maintainer's note."
        >
          {(aria) => <textarea {...getTextareaProps(fields.evidence)} rows={4} {...aria} />}
        </Field>
        <Field field={fields.details} label="Anything else (optional)" hint="Markdown works.">
          {(aria) => <textarea {...getTextareaProps(fields.details)} rows={4} {...aria} />}
        </Field>
        <p>
          <button type="submit" className="button">
            Send nomination
          </button>
        </p>
      </Form>
    </section>
  );
}
