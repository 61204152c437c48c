// /roadies/apply: a signed-in person asks the working group to make them a roadie.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { getFormProps, getTextareaProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Field, FormErrors, useSchemaForm } from "#app/components/field.tsx";
import { requireUser } from "#app/models/people/auth.server.ts";
import { hitRateLimit } from "#app/utils/rate-limit.server.ts";
import { applyAsRoadie, checkCanApply } from "#app/models/people/applications.server.ts";
import { applySchema } from "#app/models/people/roadies-forms.ts";
import { readFormData } from "#app/utils/form.server.ts";
import { formatDate, HOUR_MS } from "#app/utils/dates.ts";

export const meta: MetaFunction = () => [{ title: "Apply to be a roadie · Roadies" }];

const APPLY_RULE = { name: "roadie-apply", limit: 5, windowMs: HOUR_MS };

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const url = new URL(request.url);
  return { check: await checkCanApply(user), sent: url.searchParams.has("sent") };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const formData = await readFormData(request);
  const submission = parseWithZod(formData, { schema: applySchema });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const limit = await hitRateLimit(APPLY_RULE, `user:${user.id}`);
  if (!limit.allowed) {
    return data(submission.reply({ formErrors: ["Too many attempts: please wait an hour and try again."] }), {
      status: 429,
    });
  }
  const result = await applyAsRoadie(user, submission.value);
  if (!result.ok) return redirect("/roadies/apply");
  return redirect("/roadies/apply?sent=1");
}

export default function Apply() {
  const { check, sent } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [form, fields] = useSchemaForm(applySchema, {
    id: "apply",
    lastResult,
  });
  return (
    <section className="stack narrow">
      <p>
        <Link to="/roadies">← Roadies</Link>
      </p>
      <h1>Apply to be a roadie</h1>
      {check.ok ? (
        <>
          <p>
            Tell the working group why you would like to help and what you have done before. Members vote; you hear the
            outcome by email.
          </p>
          <Form method="post" {...getFormProps(form)} className="stack">
            <FormErrors errors={form.errors} />
            <Field
              field={fields.motivation}
              label="Why do you want to be a roadie?"
              hint="A few sentences; Markdown works."
            >
              {(aria) => <textarea {...getTextareaProps(fields.motivation)} rows={8} {...aria} />}
            </Field>
            <Field
              field={fields.evidence}
              label="Links to your work (optional)"
              hint="One per line: transfers you helped with, packages you maintain, issues you triaged."
            >
              {(aria) => <textarea {...getTextareaProps(fields.evidence)} rows={4} {...aria} />}
            </Field>
            <p>
              <button type="submit" className="button">
                Send application
              </button>
            </p>
          </Form>
        </>
      ) : check.reason === "too-young" ? (
        <div className="alert" role="status">
          <p>
            Your GitHub account is younger than 90 days, so you cannot apply yet. You can apply from{" "}
            <strong>{formatDate(check.canApplyFrom)}</strong>. This protects maintainers from brand-new accounts; thank
            you for your patience.
          </p>
        </div>
      ) : check.reason === "already-roadie" ? (
        <div className="alert" role="status">
          <p>You are already a roadie. Thank you!</p>
        </div>
      ) : check.reason === "pending" ? (
        <div className="alert" role="status">
          <p>
            {sent ? "Application sent. " : ""}Your application is with the working group. You will hear the outcome by
            email.
          </p>
        </div>
      ) : (
        <div className="alert alert-error" role="status">
          <p>This account cannot apply.</p>
        </div>
      )}
    </section>
  );
}
